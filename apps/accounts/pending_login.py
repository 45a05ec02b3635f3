"""The half-done login between the password and the second factor, kept in the session: the login
page starts it, the code page (apps/accounts/views/login.py) and the passkey API
(apps/accounts/api/passkeys.py) finish it."""

import time

from django.contrib.auth import get_user_model, login

PENDING = "mediahub_2fa_pending"
PENDING_SECONDS = 300
BACKEND = "apps.accounts.backends.MediaHubBackend"


def start(request, user, next_url: str) -> None:
    request.session[PENDING] = {"user": user.pk, "at": time.time(), "next": next_url}


def pending_user(request):
    """Who gave the right password in the last PENDING_SECONDS, or None."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()


def finish(request, user) -> str:
    """Log `user` in; returns where the login page was asked to go next."""
    pending = request.session.pop(PENDING, None) or {}
    login(request, user, backend=BACKEND)
    return pending.get("next") or "/"
