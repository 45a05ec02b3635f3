"""Passkeys through the API with a software authenticator (tests/accounts/authenticator.py): real
WebAuthn verification of registration and authentication ceremonies, nothing mocked."""

import time

import pytest
from django.contrib.auth import authenticate

from apps.accounts import passkeys, totp
from apps.accounts.models import Passkey, RecoveryCode

from .authenticator import SoftAuthenticator

pytestmark = pytest.mark.django_db

PASSKEYS = "/api/auth/passkeys/"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def register(client, authenticator, name="phone"):
    options = post(client, PASSKEYS + "register/options/")
    assert options.status_code == 200, options.content
    return post(client, PASSKEYS + "register/", {"name": name, "credential": authenticator.create(options.json())})


def sign_in(client, authenticator, second_factor=False, **tamper):
    options = post(client, PASSKEYS + "login/options/", {"second_factor": second_factor})
    assert options.status_code == 200, options.content
    return post(client, PASSKEYS + "login/", {"credential": authenticator.get(options.json(), **tamper)})


@pytest.fixture
def enrolled(client, user):
    """Alice with one passkey, logged out again."""
    client.force_login(user)
    authenticator = SoftAuthenticator()
    response = register(client, authenticator)
    assert response.status_code == 201, response.content
    client.post("/accounts/logout/")
    return authenticator, response.json()


def test_a_registered_passkey_signs_in_alone_without_a_password(client, user, enrolled):
    authenticator, created = enrolled
    assert created["name"] == "phone" and created["transports"] == ["internal"]
    assert len(created["recovery_codes"]) == 10  # the first second factor: codes, shown once
    passkey = Passkey.objects.get(user=user)
    assert passkey.sign_count == 0 and bytes(passkey.public_key) == authenticator.cose_public_key()

    options = post(client, PASSKEYS + "login/options/").json()
    assert options["allowCredentials"] == [] and options["userVerification"] == "required"  # discoverable
    response = post(client, PASSKEYS + "login/", {"credential": authenticator.get(options), "next": "/albums/"})

    assert response.status_code == 200, response.content
    assert response.json() == {"next": "/albums/"}
    assert client.session["_auth_user_id"] == str(user.pk)
    passkey.refresh_from_db()
    assert passkey.sign_count == 1 and passkey.last_used is not None


def test_after_the_password_a_passkey_or_a_recovery_code_is_the_second_factor(
    client, user, password, enrolled
):
    authenticator, created = enrolled
    assert authenticate(None, username="alice", password=password) is None  # admin/browsable forms

    response = client.post("/accounts/login/?next=/people/", {"username": "alice", "password": password, "next": "/people/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    page = client.get("/accounts/login/code/")
    assert b"data-passkey-login" in page.content and b"Or a recovery code" in page.content
    options = post(client, PASSKEYS + "login/options/", {"second_factor": True}).json()
    assert [c["id"] for c in options["allowCredentials"]] == [Passkey.objects.get().credential_id]

    response = post(client, PASSKEYS + "login/", {"credential": authenticator.get(options)})

    assert response.status_code == 200 and response.json() == {"next": "/people/"}
    assert client.session["_auth_user_id"] == str(user.pk)

    # The recovery codes that came with the first passkey stand in for it.
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "alice", "password": password})
    response = client.post("/accounts/login/code/", {"code": created["recovery_codes"][0]})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    assert totp.remaining_recovery_codes(user) == 9


def test_a_passkey_serves_only_its_own_account(client, user, other_user, password, enrolled):
    authenticator, _ = enrolled
    assert post(client, PASSKEYS + "login/options/", {"second_factor": True}).status_code == 400
    # Bob's password, Alice's passkey: refused.
    client.force_login(other_user)
    assert register(client, SoftAuthenticator()).status_code == 201
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "bob", "password": password})
    options = post(client, PASSKEYS + "login/options/", {"second_factor": True}).json()
    assertion = authenticator.get({**options, "allowCredentials": []})  # offered anyway
    response = post(client, PASSKEYS + "login/", {"credential": assertion})
    assert response.status_code == 400 and "not registered" in response.json()["credential"][0]
    assert "_auth_user_id" not in client.session
    # Nor can Bob rename or remove Alice's.
    passkey = Passkey.objects.get(user=user)
    client.force_login(other_user)
    assert client.post("/accounts/passkeys/", {"action": "remove", "id": passkey.pk}).status_code == 404
    assert client.post("/accounts/passkeys/", {"action": "rename", "id": "x", "name": "y"}).status_code == 404
    assert client.delete(f"{PASSKEYS}{passkey.pk}/").status_code == 404
    assert Passkey.objects.filter(pk=passkey.pk).exists()


def test_a_challenge_answers_once_and_expires(client, user, enrolled):
    authenticator, _ = enrolled
    options = post(client, PASSKEYS + "login/options/").json()
    assertion = authenticator.get(options)
    assert post(client, PASSKEYS + "login/", {"credential": assertion}).status_code == 200
    client.post("/accounts/logout/")
    replay = post(client, PASSKEYS + "login/", {"credential": assertion})
    assert replay.status_code == 400 and "no passkey ceremony" in replay.json()["credential"][0]

    # A new challenge does not accept the answer to the old one.
    post(client, PASSKEYS + "login/options/")
    stale = post(client, PASSKEYS + "login/", {"credential": assertion})
    assert stale.status_code == 400 and "challenge" in stale.json()["credential"][0]

    options = post(client, PASSKEYS + "login/options/").json()
    session = client.session
    session[passkeys.SESSION_KEY]["at"] = time.time() - passkeys.CHALLENGE_SECONDS - 1
    session.save()
    late = post(client, PASSKEYS + "login/", {"credential": authenticator.get(options)})
    assert late.status_code == 400 and "too long" in late.json()["credential"][0]
    assert "_auth_user_id" not in client.session


def test_a_signature_counter_must_grow_unless_the_authenticator_keeps_none(client, user, enrolled):
    authenticator, _ = enrolled
    assert sign_in(client, authenticator).status_code == 200
    assert sign_in(client, authenticator).status_code == 200
    client.post("/accounts/logout/")
    cloned = sign_in(client, authenticator, sign_count=1)  # a copy of the key that saw fewer uses
    assert cloned.status_code == 400 and "sign count" in cloned.json()["credential"][0]
    assert Passkey.objects.get().sign_count == 2

    # Many passkeys (synced ones) always say 0: that is no replay, they sign in every time.
    client.force_login(user)
    counterless = SoftAuthenticator(counter=False)
    assert register(client, counterless, name="synced").status_code == 201
    for _ in range(2):
        client.post("/accounts/logout/")
        assert sign_in(client, counterless).status_code == 200


def test_the_relying_party_is_the_host_unless_settings_name_it(client, user, settings):
    client.force_login(user)
    options = post(client, PASSKEYS + "register/options/").json()
    assert options["rp"] == {"id": "testserver", "name": "MediaHub"}
    wrong_origin = SoftAuthenticator(origin="https://evil.example").create(options)
    response = post(client, PASSKEYS + "register/", {"name": "x", "credential": wrong_origin})
    assert response.status_code == 400 and "origin" in response.json()["credential"][0]

    settings.MEDIAHUB_WEBAUTHN_RP_ID = "photos.example.org"
    settings.MEDIAHUB_WEBAUTHN_ORIGINS = ["https://photos.example.org"]
    authenticator = SoftAuthenticator(origin="https://photos.example.org")
    options = post(client, PASSKEYS + "register/options/").json()
    assert options["rp"]["id"] == "photos.example.org"
    assert post(client, PASSKEYS + "register/", {"name": "x", "credential": authenticator.create(options)}).status_code == 201
    client.post("/accounts/logout/")
    assert sign_in(client, authenticator).status_code == 200
    # An assertion for another RP id is refused.
    client.post("/accounts/logout/")
    options = post(client, PASSKEYS + "login/options/").json()
    response = post(client, PASSKEYS + "login/", {"credential": authenticator.get({**options, "rpId": "example.org"})})
    assert response.status_code == 400 and "RP ID" in response.json()["credential"][0]


def test_several_passkeys_are_named_renamed_and_removed(client, user, password, enrolled):
    authenticator, _ = enrolled
    client.force_login(user)
    second = register(client, SoftAuthenticator(), name="laptop")
    assert second.status_code == 201 and second.json()["recovery_codes"] == []  # codes exist already
    options = post(client, PASSKEYS + "register/options/").json()
    assert {c["id"] for c in options["excludeCredentials"]} == set(Passkey.objects.values_list("credential_id", flat=True))
    assert len({p.user_handle for p in Passkey.objects.all()}) == 1  # one account, one handle
    assert b"Your 2 passkeys are your second factor" in client.get("/accounts/two-factor/").content
    again = post(client, PASSKEYS + "register/", {"name": "again", "credential": authenticator.create(options)})
    assert again.status_code == 409

    phone, laptop = Passkey.objects.order_by("pk")
    assert client.patch(f"{PASSKEYS}{laptop.pk}/", {"name": "work laptop"}, content_type="application/json").status_code == 200
    assert client.patch(f"{PASSKEYS}{laptop.pk}/", {"name": " "}, content_type="application/json").status_code == 400
    page = client.post("/accounts/passkeys/", {"action": "rename", "id": phone.pk, "name": "my phone"})
    assert page.status_code == 302
    assert sorted(Passkey.objects.values_list("name", flat=True)) == ["my phone", "work laptop"]
    listed = client.get("/accounts/passkeys/")
    assert b"my phone" in listed.content and b"work laptop" in listed.content

    assert client.delete(f"{PASSKEYS}{laptop.pk}/").status_code == 204
    assert client.post("/accounts/passkeys/", {"action": "remove", "id": phone.pk}).status_code == 302
    # The last second factor gone: recovery codes with it, and the password alone logs in again.
    assert not Passkey.objects.exists() and not RecoveryCode.objects.filter(user=user).exists()
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "alice", "password": password})
    assert response.status_code == 302 and response["Location"] == "/"


MALFORMED = [
    None, "text", 7, [], {}, {"id": "AAAA"}, {"id": "AAAA", "rawId": "AAAA"},
    {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": "x"},
    {"id": "!!", "rawId": "!!", "type": "public-key", "response": {"clientDataJSON": "!!", "attestationObject": "!!"}},
    {"id": "AAAA", "rawId": "AAAA", "type": "secret", "response": {"clientDataJSON": "e30", "attestationObject": "oA"}},
    {"id": "AAAA", "rawId": "AAAA", "type": "public-key",
     "response": {"clientDataJSON": "e30", "attestationObject": "oA", "authenticatorData": "AAAA", "signature": "AAAA"}},
]


def test_malformed_ceremonies_answer_400_and_use_up_the_challenge(client, user, enrolled, settings):
    authenticator, _ = enrolled
    settings.MEDIAHUB_LOGIN_SLOW_AFTER = 100  # many failures in a row: the point here is each answer
    client.force_login(user)
    for bad in MALFORMED:
        post(client, PASSKEYS + "register/options/")
        response = post(client, PASSKEYS + "register/", {"name": "x", "credential": bad})
        assert response.status_code == 400, (bad, response.content)
        options = post(client, PASSKEYS + "login/options/").json()
        response = post(client, PASSKEYS + "login/", {"credential": bad})
        assert response.status_code == 400, (bad, response.content)
        assert passkeys.SESSION_KEY not in client.session
    # A real answer whose signature was tampered with.
    options = post(client, PASSKEYS + "login/options/").json()
    assertion = authenticator.get(options)
    assertion["response"]["signature"] = assertion["response"]["signature"][:-4] + "AAAA"
    response = post(client, PASSKEYS + "login/", {"credential": assertion})
    assert response.status_code == 400 and "signature" in response.json()["credential"][0]


def test_a_password_less_sign_in_needs_user_verification_and_failures_are_throttled(
    client, user, enrolled, settings
):
    authenticator, _ = enrolled
    settings.MEDIAHUB_LOGIN_SLOW_AFTER, settings.MEDIAHUB_LOGIN_LOCK_AFTER = 2, 2
    authenticator.user_verified = False  # no PIN, no biometrics: only something held
    for _ in range(2):
        response = sign_in(client, authenticator)
        assert response.status_code == 400 and "verification" in response.json()["credential"][0]
    authenticator.user_verified = True
    response = sign_in(client, authenticator)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
