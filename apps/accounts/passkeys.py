"""Passkeys (WebAuthn) with the `webauthn` package: register several per user, then use one as the
second factor after the password, or alone (a discoverable credential, with user verification).

Each ceremony has two halves. The first returns the options for `navigator.credentials.create/get`
and keeps its challenge in the caller's session (server-side); the second takes the browser's answer,
uses the challenge up whatever the outcome (single use), and refuses it once CHALLENGE_SECONDS have
passed. Every failure is a BadInput (400) that says what went wrong, never a 500.

The relying party (RP id and allowed origins) comes from the request's host unless
MEDIAHUB_WEBAUTHN_RP_ID / MEDIAHUB_WEBAUTHN_ORIGINS say otherwise: see `relying_party`.
"""

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.translation import gettext as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from apps.core.errors import BadInput, Conflict, TooManyAttempts

from . import throttling, totp
from .models import Passkey, RecoveryCode

SESSION_KEY = "mediahub_webauthn"
CHALLENGE_SECONDS = 300
REGISTER, SECOND_FACTOR, SIGN_IN = "register", "second-factor", "sign-in"
# Throttling key for assertions of credentials nobody registered ("~" is in no username).
UNKNOWN_CREDENTIAL = "~passkey"
KNOWN_TRANSPORTS = {t.value for t in AuthenticatorTransport}


@dataclass(frozen=True)
class RelyingParty:
    id: str
    name: str
    origins: tuple[str, ...]


def relying_party(request) -> RelyingParty:
    """Settings first; else the host the browser used (ALLOWED_HOSTS already vetted it)."""
    host = request.get_host()
    rp_id = settings.MEDIAHUB_WEBAUTHN_RP_ID or split_domain_port(host)[0]
    origins = tuple(settings.MEDIAHUB_WEBAUTHN_ORIGINS) or (f"{request.scheme}://{host}",)
    return RelyingParty(id=rp_id, name=settings.MEDIAHUB_WEBAUTHN_RP_NAME, origins=origins)


def _remember(session, purpose: str, challenge: bytes, user=None, **more) -> None:
    session[SESSION_KEY] = {
        "purpose": purpose,
        "challenge": bytes_to_base64url(challenge),
        "at": time.time(),
        "user": user.pk if user is not None else None,
        **more,
    }


def _take_challenge(session, purposes: tuple[str, ...]) -> dict:
    """The pending challenge, removed from the session: a challenge is good for one answer only."""
    state = session.pop(SESSION_KEY, None)
    if not isinstance(state, dict) or state.get("purpose") not in purposes:
        raise BadInput(_("no passkey ceremony is under way; start again"), field="credential")
    if time.time() - state["at"] > CHALLENGE_SECONDS:
        raise BadInput(_("that took too long; start again"), field="credential")
    return state


def forget_challenge(session) -> None:
    """Drop the pending ceremony: an answer that did not even parse still uses the challenge up."""
    session.pop(SESSION_KEY, None)


def _user_handle(user) -> str:
    """One random handle per user, shared by all their passkeys (an authenticator then keeps one
    passkey per account and site, replacing an older one)."""
    existing = Passkey.objects.filter(user=user).values_list("user_handle", flat=True).first()
    return existing or bytes_to_base64url(secrets.token_bytes(32))


def _descriptors(passkeys) -> list[PublicKeyCredentialDescriptor]:
    descriptors = []
    for passkey in passkeys:
        transports = [AuthenticatorTransport(t) for t in passkey.transports if t in KNOWN_TRANSPORTS]
        descriptors.append(
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(passkey.credential_id), transports=transports)
        )
    return descriptors


def registration_options(user, session, rp: RelyingParty) -> str:
    """Options (JSON text) for navigator.credentials.create; the user's passkeys are excluded, so
    an authenticator that holds one already says so instead of making a second."""
    handle = _user_handle(user)
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        user_id=base64url_to_bytes(handle),
        user_name=user.get_username(),
        user_display_name=str(user),
        timeout=CHALLENGE_SECONDS * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            # Preferred, not required: a security key without room for discoverable credentials
            # still serves as a second factor.
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(Passkey.objects.filter(user=user)),
    )
    _remember(session, REGISTER, options.challenge, user, handle=handle)
    return options_to_json(options)


def _checked_name(name) -> str:
    name = (name if isinstance(name, str) else "").strip()
    if not name or len(name) > 100:
        raise BadInput(_("give the passkey a name of at most 100 characters"), field="name")
    return name


def _verify(check, **kwargs):
    """The package's verification, every refusal of it a 400. Its parsers raise their own errors for
    most bad input, but a hostile CBOR or key structure can surface as any exception, and all of
    them mean the same thing here: the browser's answer does not hold."""
    try:
        return check(**kwargs)
    except Exception as exc:  # noqa: BLE001 (see the docstring)
        raise BadInput(_("the passkey's answer could not be verified: %(reason)s") % {"reason": exc},
                       field="credential") from None


@transaction.atomic
def register(user, session, rp: RelyingParty, credential, name) -> tuple[Passkey, list[str]]:
    """The new passkey, and recovery codes to show once when it is the user's first second factor."""
    name = _checked_name(name)
    state = _take_challenge(session, (REGISTER,))
    if state["user"] != user.pk:
        raise BadInput(_("this ceremony was started by another account"), field="credential")
    verified = _verify(
        verify_registration_response,
        credential=credential if isinstance(credential, (dict, str)) else "",
        expected_challenge=base64url_to_bytes(state["challenge"]),
        expected_rp_id=rp.id,
        expected_origin=list(rp.origins),
    )
    credential_id = bytes_to_base64url(verified.credential_id)
    if Passkey.objects.filter(credential_id=credential_id).exists():
        raise Conflict(_("this passkey is registered already"))
    transports = _response(credential).get("transports")
    first_factor_of_two = not totp.has_second_factor(user)
    passkey = Passkey.objects.create(
        user=user,
        name=name,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        user_handle=state["handle"],
        transports=[t for t in transports if isinstance(t, str)][:10] if isinstance(transports, list) else [],
        backed_up=verified.credential_backed_up,
    )
    codes = []
    if first_factor_of_two or not RecoveryCode.objects.filter(user=user).exists():
        codes = totp.regenerate_recovery_codes(user)
    return passkey, codes


def authentication_options(session, rp: RelyingParty, user=None) -> str:
    """Options for navigator.credentials.get: for `user`'s second factor (their passkeys only), or,
    without a user, for a password-less sign-in where the authenticator offers its passkeys."""
    if user is not None:
        passkeys = list(Passkey.objects.filter(user=user))
        if not passkeys:
            raise BadInput(_("this account has no passkey"), field="credential")
    options = generate_authentication_options(
        rp_id=rp.id,
        timeout=CHALLENGE_SECONDS * 1000,
        allow_credentials=_descriptors(passkeys) if user is not None else [],
        # Alone, a passkey must be two factors itself: something held and a PIN or biometrics.
        user_verification=(
            UserVerificationRequirement.PREFERRED if user is not None else UserVerificationRequirement.REQUIRED
        ),
    )
    _remember(session, SECOND_FACTOR if user is not None else SIGN_IN, options.challenge, user)
    return options_to_json(options)


def _response(credential) -> dict:
    response = credential.get("response") if isinstance(credential, dict) else None
    return response if isinstance(response, dict) else {}


def _claimed_passkey(credential, state) -> Passkey | None:
    credential_id = credential.get("id") if isinstance(credential, dict) else None
    if not isinstance(credential_id, str) or not credential_id:
        raise BadInput(_("the answer names no passkey"), field="credential")
    passkeys = Passkey.objects.select_related("user").filter(
        credential_id=credential_id, user__is_active=True
    )
    if state["purpose"] == SECOND_FACTOR:
        passkeys = passkeys.filter(user_id=state["user"])
    return passkeys.first()


def authenticate(
    session, rp: RelyingParty, credential, ip: str | None, pending_user=None
) -> tuple[Passkey, bool]:
    """(the passkey that answered the challenge, whether as a second factor). Its user is the one to
    log in. A second factor must come from `pending_user`, who gave the right password; a
    password-less sign-in needs user verification (the authenticator's PIN or biometrics)."""
    state = _take_challenge(session, (SECOND_FACTOR, SIGN_IN))
    second_factor = state["purpose"] == SECOND_FACTOR
    if second_factor and (pending_user is None or state["user"] != pending_user.pk):
        raise BadInput(_("log in with your password first"), field="credential")
    passkey = _claimed_passkey(credential, state)
    who = passkey.user.get_username() if passkey else UNKNOWN_CREDENTIAL
    if wait := throttling.seconds_to_wait(who, ip):
        throttling.log_refusal(who, ip, wait)
        message = _("Too many failed attempts. Try again in %(wait)s seconds.") % {"wait": wait}
        raise TooManyAttempts(message, wait)
    try:
        if passkey is None:
            raise BadInput(_("this passkey is not registered here"), field="credential")
        handle = _response(credential).get("userHandle")
        if handle not in (None, "", passkey.user_handle):
            raise BadInput(_("the passkey belongs to another account"), field="credential")
        verified = _verify(
            verify_authentication_response,
            credential=credential,
            expected_challenge=base64url_to_bytes(state["challenge"]),
            expected_rp_id=rp.id,
            expected_origin=list(rp.origins),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=not second_factor,
        )
        # Conditional: of two answers racing with the same count, one wins (a cloned authenticator).
        updated = Passkey.objects.filter(pk=passkey.pk, sign_count=passkey.sign_count).update(
            sign_count=verified.new_sign_count, last_used=timezone.now()
        )
        if not updated:
            raise BadInput(_("the passkey's signature counter went backwards"), field="credential")
    except BadInput:
        throttling.record_failure(who, ip, reason="passkey")
        raise
    return passkey, second_factor


def rename(passkey: Passkey, name) -> Passkey:
    passkey.name = _checked_name(name)
    passkey.save(update_fields=["name"])
    return passkey


@transaction.atomic
def remove(passkey: Passkey) -> None:
    """Delete it; with the last second factor gone, the recovery codes go too (two-factor is off)."""
    user = passkey.user
    passkey.delete()
    if not totp.has_second_factor(user):
        RecoveryCode.objects.filter(user=user).delete()
