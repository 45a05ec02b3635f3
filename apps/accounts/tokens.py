"""API tokens: named keys for scripts and apps, shown once, stored as a hash, revocable."""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiToken

KEY_PREFIX = "mh_"
# Writing last_used on every request would turn every read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(user, name: str) -> tuple[ApiToken, str]:
    """A new token and its key; the key is not stored and cannot be shown again."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    prefix = key[: len(KEY_PREFIX) + 6]
    token = ApiToken.objects.create(user=user, name=name, key_hash=_digest(key), prefix=prefix)
    return token, key


def user_for_key(key: str):
    """The active user owning this key, or None. Marks the token used (at most once a minute)."""
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(key)).first()
    if token is None or not token.user.is_active:
        return None, None
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        # A conditional UPDATE so concurrent requests do not all write.
        recent = now - LAST_USED_RESOLUTION
        ApiToken.objects.filter(pk=token.pk).exclude(last_used__gt=recent).update(last_used=now)
    return token.user, token


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` with MediaHub's hashed, named tokens."""

    def authenticate_credentials(self, key):
        user, token = user_for_key(key)
        if user is None:
            raise AuthenticationFailed("Invalid or revoked token.")
        return user, token
