from datetime import timedelta

import pytest
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


def test_backoff_grows_then_locks_for_the_lockout_period(limits):
    now = timezone.now()
    for i in range(3):
        throttling.record_failure("alice", "10.0.0.1", now=now)
    assert throttling.seconds_to_wait("alice", "10.0.0.9", now=now) == 1
    assert throttling.seconds_to_wait("alice", "10.0.0.9", now=now + timedelta(seconds=2)) == 0
    throttling.record_failure("alice", "10.0.0.1", now=now)
    assert throttling.seconds_to_wait("alice", "10.0.0.9", now=now) == 2
    throttling.record_failure("alice", "10.0.0.1", now=now)
    assert throttling.seconds_to_wait("alice", "10.0.0.9", now=now) == 900  # locked
    assert throttling.seconds_to_wait("alice", "10.0.0.9", now=now + timedelta(seconds=901)) == 0
    assert throttling.seconds_to_wait("bob", "10.0.0.9", now=now) == 0  # other accounts are not affected


def test_one_address_trying_many_accounts_is_throttled(limits):
    now = timezone.now()
    for i in range(9):
        throttling.record_failure(f"user{i}", "10.0.0.1", now=now)
    assert throttling.seconds_to_wait("someone-new", "10.0.0.1", now=now) > 0
    assert throttling.seconds_to_wait("someone-new", "10.0.0.2", now=now) == 0


def test_success_forgives_the_account(client, user, password, limits):
    fail_login(client)
    fail_login(client)
    assert client.post("/accounts/login/", {"username": "alice", "password": password}).status_code == 302
    assert not LoginFailure.objects.filter(username="alice").exists()


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
