"""Sign-up, so a family member can join without an admin typing their password (MEDIAHUB_SIGNUP):

- off (default): nobody registers; the pages answer 404.
- invite: a superadmin makes single-use, expiring links (`create_invitation`); whoever opens one
  picks a username and password and is signed in at once.
- approval: anyone may register; the account is inactive until a superadmin approves it
  (`approve`), or gone when rejected (`reject`).

A new account is a plain user with nothing shared: no library, no album. Every attempt counts
against the address's sign-up throttle (throttling.signup_wait). An unknown, used or expired
invitation is one and the same NotFound, and the only thing a sign-up tells about other accounts is
that a username is taken, which it cannot avoid.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import BadInput, Conflict, NotFound, TooManyAttempts

from . import services, throttling
from .models import Invitation, SignupRequest
from .roles import Role

OFF, INVITE, APPROVAL = "off", "invite", "approval"
MAX_INVITATION_DAYS = 90


def mode() -> str:
    return settings.MEDIAHUB_SIGNUP


def _hash(token: str) -> str:
    # 256 random bits: a fast hash suffices, there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(created_by, note: str = "", days: int | None = None) -> tuple[Invitation, str]:
    """A new invitation and its token (returned to show once, as a link: only its hash is kept)."""
    days = settings.MEDIAHUB_INVITATION_DAYS if days is None else days
    if not isinstance(days, int) or not 1 <= days <= MAX_INVITATION_DAYS:
        message = _("an invitation lasts 1 to %(max)s days") % {"max": MAX_INVITATION_DAYS}
        raise BadInput(message, field="days")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        token_hash=_hash(token),
        note=(note or "").strip()[:200],
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return invitation, token


def invitation_path(token: str) -> str:
    return reverse("signup-invited", args=[token])


def open_invitation(token: str) -> Invitation:
    """The unused, unexpired invitation of this token; NotFound for any other (never saying which)."""
    invitation = None
    if mode() == INVITE and isinstance(token, str) and token:
        invitation = Invitation.objects.filter(
            token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now()
        ).first()
    if invitation is None:
        raise NotFound(_("This invitation link is not valid: it may have expired or been used."))
    return invitation


def _check_throttle(ip: str | None) -> None:
    if wait := throttling.signup_wait(ip):
        message = _("Too many sign-ups from here. Try again in %(wait)s seconds.") % {"wait": wait}
        raise TooManyAttempts(message, wait)


def _checked_password(password: str, username: str) -> None:
    try:
        password_validation.validate_password(password, get_user_model()(username=username))
    except ValidationError as exc:
        raise BadInput(" ".join(exc.messages), field="password1") from None


def sign_up(username: str, password: str, ip: str | None, *, token: str | None = None,
            display_name: str = "", email: str = ""):
    """The new account: active when invited (the invitation is used up), inactive and waiting for
    approval in approval mode. Raises NotFound when sign-up is off or the invitation is not valid."""
    if mode() == OFF or (mode() == INVITE and token is None):
        raise NotFound(_("Sign-up is not open."))
    _check_throttle(ip)
    # Every attempt counts, the successful ones too; outside the transaction, which a refusal rolls back.
    throttling.record_signup(ip)
    return _create_account(username, password, token, display_name, email)


@transaction.atomic
def _create_account(username, password, token, display_name, email):
    invitation = None
    if mode() == INVITE:
        invitation = open_invitation(token)
        # Lock the row: two people racing with one link cannot both get an account.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise NotFound(_("This invitation link is not valid: it may have expired or been used."))
    username = services.checked_username(username)
    _checked_password(password, username)
    user, _generated = services.create_user(
        username, Role.USER, display_name=(display_name or "").strip()[:150], email=email or "",
        password=password,
    )
    if invitation is not None:
        invitation.used_at, invitation.used_by = timezone.now(), user
        invitation.save(update_fields=["used_at", "used_by"])
    else:
        user.is_active = False
        user.save(update_fields=["is_active"])
        SignupRequest.objects.create(user=user)
    return user


def pending_requests():
    return SignupRequest.objects.select_related("user").order_by("created", "pk")


@transaction.atomic
def approve(request: SignupRequest) -> None:
    services.set_active(request.user, True)
    request.delete()


@transaction.atomic
def reject(request: SignupRequest) -> None:
    """The account goes with the request: it never logged in and owns nothing."""
    if request.user.is_active or request.user.last_login is not None:
        raise Conflict(_("this account is in use already; deactivate it on the Users page instead"))
    request.user.delete()
