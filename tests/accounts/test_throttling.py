from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts import throttling
from apps.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.MEDIAHUB_LOGIN_SLOW_AFTER = 3
    settings.MEDIAHUB_LOGIN_LOCK_AFTER = 5
    settings.MEDIAHUB_LOGIN_LOCKOUT = 900
    settings.MEDIAHUB_LOGIN_IP_FACTOR = 3
    return settings


def fail_login(client, username="alice", ip="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)


def log_in(client, password, ip, username="alice"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_failures_slow_then_lock_an_account_with_429(client, user, password, limits, caplog):
    for _ in range(3):
        assert fail_login(client).status_code == 200
    slowed = fail_login(client)
    assert slowed.status_code == 429 and int(slowed["Retry-After"]) >= 1
    assert b"Too many failed attempts" in slowed.content
    # Even the right password is refused while throttled: the throttle does not reveal it.
    right = client.post("/accounts/login/", {"username": "alice", "password": password}, REMOTE_ADDR="10.0.0.1")
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="alice").count() == 3  # refusals do not extend the lockout
    assert any("login failure" in r.message for r in caplog.records)
    assert any("throttled" in r.message for r in caplog.records)


def test_backoff_grows_then_locks_the_account_for_that_address(limits):
    now = timezone.now()
    for i in range(3):
        throttling.record_failure("alice", "10.0.0.1", now=now)
    assert throttling.seconds_to_wait("alice", "10.0.0.1", now=now) == 1
    assert throttling.seconds_to_wait("alice", "10.0.0.9", now=now) == 1  # the slowdown is per account
    assert throttling.seconds_to_wait("alice", "10.0.0.1", now=now + timedelta(seconds=2)) == 0
    throttling.record_failure("alice", "10.0.0.1", now=now)
    assert throttling.seconds_to_wait("alice", "10.0.0.1", now=now) == 2
    throttling.record_failure("alice", "10.0.0.1", now=now)
    assert throttling.seconds_to_wait("alice", "10.0.0.1", now=now) == 900  # locked, for this address
    assert throttling.seconds_to_wait("alice", "10.0.0.1", now=now + timedelta(seconds=901)) == 0
    assert throttling.seconds_to_wait("alice", "10.0.0.9", now=now) == 4  # elsewhere: slowed, not locked
    assert throttling.seconds_to_wait("alice", "10.0.0.9", now=now + timedelta(seconds=5)) == 0
    assert throttling.seconds_to_wait("bob", "10.0.0.9", now=now) == 0  # other accounts are not affected


def test_the_per_account_slowdown_never_exceeds_a_minute_however_many_fail_elsewhere(limits):
    now = timezone.now()
    for i in range(40):
        throttling.record_failure("alice", f"10.0.{i}.1", now=now)
    assert throttling.seconds_to_wait("alice", "192.168.1.20", now=now) == throttling.MAX_BACKOFF_SECONDS
    assert throttling.seconds_to_wait("alice", "192.168.1.20", now=now + timedelta(seconds=61)) == 0


def test_failures_from_elsewhere_never_lock_out_the_owner_nor_end_their_sessions(
    client, user, password, limits
):
    owner = Client()
    assert log_in(owner, password, "192.168.1.20").status_code == 302
    long_ago = timezone.now() - timedelta(seconds=61)  # past the per-account slowdown, inside the lockout
    for _ in range(10):
        throttling.record_failure("alice", "203.0.113.66", now=long_ago)

    # The guesser's address is locked out of alice, even with the right password...
    guesser = log_in(client, password, "203.0.113.66")
    assert guesser.status_code == 429 and "_auth_user_id" not in client.session
    # ...while alice's open session goes on, and she can log in from her own address.
    assert owner.get("/api/auth/me", REMOTE_ADDR="192.168.1.20").status_code == 200
    assert log_in(Client(), password, "192.168.1.20").status_code == 302
    # Her success forgives only her own address's failures: the guesser stays locked.
    assert throttling.seconds_to_wait("alice", "203.0.113.66") > 800


def test_one_address_trying_many_accounts_is_throttled(limits):
    now = timezone.now()
    for i in range(9):
        throttling.record_failure(f"user{i}", "10.0.0.1", now=now)
    assert throttling.seconds_to_wait("someone-new", "10.0.0.1", now=now) > 0
    assert throttling.seconds_to_wait("someone-new", "10.0.0.2", now=now) == 0


def test_success_forgives_the_account_from_that_address(client, user, password, limits):
    fail_login(client)
    fail_login(client, ip="10.0.0.2")
    assert log_in(client, password, "10.0.0.1").status_code == 302
    assert list(LoginFailure.objects.filter(username="alice").values_list("ip", flat=True)) == ["10.0.0.2"]


def test_other_login_forms_are_throttled_too(client, user, password, limits):
    """The admin's login form goes through the same backend: locked means locked everywhere."""
    for _ in range(5):
        fail_login(client)
    client.post("/admin/login/", {"username": "alice", "password": password}, REMOTE_ADDR="10.0.0.1")
    assert "_auth_user_id" not in client.session


def test_forwarded_address_is_used_only_behind_trusted_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.2")
    settings.MEDIAHUB_TRUSTED_PROXIES = 0
    assert throttling.client_ip(request) == "127.0.0.1"
    settings.MEDIAHUB_TRUSTED_PROXIES = 1
    assert throttling.client_ip(request) == "10.0.0.2"
    settings.MEDIAHUB_TRUSTED_PROXIES = 2
    assert throttling.client_ip(request) == "203.0.113.9"
