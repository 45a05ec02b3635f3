"""Login throttling: repeated failures are slowed, then refused for a while, without letting a
stranger lock the owner out.

Three counts over the last MEDIAHUB_LOGIN_LOCKOUT seconds:
- one account from one address: slowed after SLOW_AFTER failures, refused after LOCK_AFTER;
- one account from anywhere: slowed the same way (at most MAX_BACKOFF_SECONDS), never refused, so
  failures from elsewhere cost the owner a short wait at worst, and their sessions are never touched;
- one address, any account: slowed and refused at IP_FACTOR times those counts.

Failures live in the database (LoginFailure), not in a per-process cache, so every web process and
every server behind the same database agrees. Nobody sleeps: a throttled attempt is answered at once
with 429 and Retry-After.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import LoginFailure

log = logging.getLogger("mediahub.security")

MAX_BACKOFF_SECONDS = 60


def client_ip(request) -> str | None:
    """The caller's address; behind MEDIAHUB_TRUSTED_PROXIES proxies, the one they saw (X-Forwarded-For)."""
    proxies = settings.MEDIAHUB_TRUSTED_PROXIES
    if proxies:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def _wait(count: int, last, now, slow_after: int, lock_after: int | None) -> int:
    if not count:
        return 0
    if lock_after is not None and count >= lock_after:
        until = last + timedelta(seconds=settings.MEDIAHUB_LOGIN_LOCKOUT)
    elif count >= slow_after:
        until = last + timedelta(seconds=min(2 ** (count - slow_after), MAX_BACKOFF_SECONDS))
    else:
        return 0
    return max(0, int((until - now).total_seconds() + 0.999))


def _from(ip: str | None) -> Q:
    return Q(ip=ip) if ip else Q(ip__isnull=True)


def seconds_to_wait(username: str, ip: str | None, now=None) -> int:
    """0 when a login attempt may go ahead, else how long this account, address or both must wait."""
    now = now or timezone.now()
    username = (username or "").lower()
    by_account, by_ip = Q(username=username), Q(ip=ip) if ip else Q(pk__in=[])
    by_pair = by_account & _from(ip)
    stats = LoginFailure.objects.filter(
        by_account | by_ip, at__gte=now - timedelta(seconds=settings.MEDIAHUB_LOGIN_LOCKOUT)
    ).aggregate(
        pair_count=Count("pk", filter=by_pair),
        pair_last=Max("at", filter=by_pair),
        account_count=Count("pk", filter=by_account),
        account_last=Max("at", filter=by_account),
        ip_count=Count("pk", filter=by_ip),
        ip_last=Max("at", filter=by_ip),
    )
    slow, lock = settings.MEDIAHUB_LOGIN_SLOW_AFTER, settings.MEDIAHUB_LOGIN_LOCK_AFTER
    ip_factor = settings.MEDIAHUB_LOGIN_IP_FACTOR  # a household shares one address: allow it more
    return max(
        _wait(stats["pair_count"], stats["pair_last"], now, slow, lock),
        _wait(stats["account_count"], stats["account_last"], now, slow, None),  # never a lockout
        _wait(stats["ip_count"], stats["ip_last"], now, slow * ip_factor, lock * ip_factor),
    )


def record_failure(username: str, ip: str | None, reason: str = "password", now=None) -> None:
    now = now or timezone.now()
    LoginFailure.objects.create(username=(username or "").lower()[:150], ip=ip, at=now, reason=reason)
    # Old rows only slow queries down; drop them while we are here.
    LoginFailure.objects.filter(at__lt=now - timedelta(days=1)).delete()
    log.warning("login failure (%s) for '%s' from %s", reason, username, ip)


def log_refusal(username: str, ip: str | None, wait: int) -> None:
    log.warning("login refused for '%s' from %s: throttled for %ss", username, ip, wait)


def clear_account(username: str, ip: str | None) -> None:
    """A successful login forgives the account's failures from that address; those from elsewhere
    (someone else guessing) and the address's failures on other accounts keep counting."""
    LoginFailure.objects.filter(_from(ip), username=(username or "").lower()).delete()


# Sign-ups (apps/accounts/signup.py) count in the same table under a name no account can have ("~"
# is in no username): per address, an attempt beyond SLOW_AFTER waits, beyond LOCK_AFTER is refused;
# from all addresses together they are only slowed (at most MAX_BACKOFF_SECONDS).
SIGNUP = "~signup"


def signup_wait(ip: str | None, now=None) -> int:
    return seconds_to_wait(SIGNUP, ip, now)


def record_signup(ip: str | None, now=None) -> None:
    now = now or timezone.now()
    LoginFailure.objects.create(username=SIGNUP, ip=ip, at=now, reason="signup")
    log.info("sign-up attempt from %s", ip)
