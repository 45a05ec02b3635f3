import re
import time

import pyotp
import pytest

from apps.accounts import totp
from apps.accounts.models import RecoveryCode, TotpDevice

pytestmark = pytest.mark.django_db


def enrol(client) -> tuple[pyotp.TOTP, list[str]]:
    page = client.post("/accounts/two-factor/", {"action": "start"})
    assert page.status_code == 200 and b"<svg" in page.content
    secret = TotpDevice.objects.get().secret
    assert secret.encode() in page.content  # typed by hand when the camera cannot scan
    authenticator = pyotp.TOTP(secret)
    page = client.post("/accounts/two-factor/", {"action": "confirm", "code": authenticator.now()})
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", page.content.decode())
    return authenticator, codes


def password_step(client, password, username="alice"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_enrolment_needs_a_valid_first_code(client, user):
    client.force_login(user)
    client.post("/accounts/two-factor/", {"action": "start"})
    client.post("/accounts/two-factor/", {"action": "confirm", "code": "000000"})
    assert not totp.has_totp(user)


def test_enrol_then_login_asks_for_the_code(client, user, password):
    client.force_login(user)
    authenticator, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert totp.has_totp(user)
    assert not any(c.replace("-", "") in h.code_hash for c in codes for h in RecoveryCode.objects.all())
    client.post("/accounts/logout/")

    response = password_step(client, password)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session  # the password alone is not a login
    wrong = client.post("/accounts/login/code/", {"code": "123456"})
    assert wrong.status_code == 200 and b"not valid" in wrong.content
    # The enrolment used the current code; each code works once, so the next one logs in.
    code = authenticator.at(time.time() + authenticator.interval)
    response = client.post("/accounts/login/code/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)

    # The same code a second time is refused (replay), and so is an older one.
    client.post("/accounts/logout/")
    password_step(client, password)
    assert client.post("/accounts/login/code/", {"code": code}).status_code == 200
    assert client.post("/accounts/login/code/", {"code": authenticator.now()}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_each_recovery_code_works_once(client, user, password):
    client.force_login(user)
    _, codes = enrol(client)
    client.post("/accounts/logout/")
    password_step(client, password)
    assert client.post("/accounts/login/code/", {"code": codes[0].upper()}).status_code == 302
    client.post("/accounts/logout/")
    password_step(client, password)
    assert client.post("/accounts/login/code/", {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.post("/accounts/login/code/", {"code": codes[1].replace("-", "")}).status_code == 302
    assert totp.remaining_recovery_codes(user) == 8


def test_no_other_login_form_skips_the_second_factor(client, user, password):
    user.is_staff = True
    user.save()
    client.force_login(user)
    enrol(client)
    client.post("/accounts/logout/")
    client.post("/admin/login/", {"username": "alice", "password": password})
    assert "_auth_user_id" not in client.session
    client.post("/api/auth/browsable/login/", {"username": "alice", "password": password})
    assert "_auth_user_id" not in client.session


def test_wrong_codes_are_throttled(client, user, password, settings):
    settings.MEDIAHUB_LOGIN_SLOW_AFTER, settings.MEDIAHUB_LOGIN_LOCK_AFTER = 2, 3
    client.force_login(user)
    enrol(client)
    client.post("/accounts/logout/")
    password_step(client, password)
    for _ in range(3):
        client.post("/accounts/login/code/", {"code": "000000"})
    assert client.post("/accounts/login/code/", {"code": "000000"}).status_code == 429


def test_disable_needs_the_password(client, user, password):
    client.force_login(user)
    enrol(client)
    client.post("/accounts/two-factor/", {"action": "disable", "password": "wrong"})
    assert totp.has_totp(user)
    client.post("/accounts/two-factor/", {"action": "disable", "password": password})
    assert not totp.has_totp(user) and not RecoveryCode.objects.exists()
    client.post("/accounts/logout/")
    assert password_step(client, password)["Location"] == "/"


def test_regenerating_recovery_codes_retires_the_old_ones(client, user, password):
    client.force_login(user)
    _, old = enrol(client)
    page = client.post("/accounts/two-factor/", {"action": "regenerate", "password": password})
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert totp.verify_second_factor(user, old[0]) is None
    assert totp.verify_second_factor(user, new[0]) == "recovery"
