"""Optional two-factor login with an authenticator app (TOTP, RFC 6238) and one-time recovery codes."""

import hashlib
import secrets
import time

import pyotp
import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from apps.core.errors import BadInput, Conflict

from .models import Passkey, RecoveryCode, TotpDevice

ISSUER = "MediaHub"
RECOVERY_CODE_COUNT = 10
# Accept the previous and next 30 s step too: phone clocks drift.
VALID_WINDOW = 1
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def has_totp(user) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def has_second_factor(user) -> bool:
    """An authenticator app or a passkey: either makes a password alone no login."""
    return has_totp(user) or Passkey.objects.filter(user=user).exists()


def start_enrolment(user) -> TotpDevice:
    """A fresh secret, not active until a code from it is verified (confirm_enrolment)."""
    if has_totp(user):
        raise Conflict(_("two-factor login is already on; turn it off first"))
    device, _created = TotpDevice.objects.update_or_create(
        user=user, defaults={"secret": pyotp.random_base32(), "confirmed_at": None, "last_step": 0}
    )
    return device


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER)


def qr_code_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def _accept_code(device: TotpDevice, code: str, now: float | None = None) -> bool:
    """A valid code for a time step later than the last one accepted: each code works once."""
    totp = pyotp.TOTP(device.secret)
    current = int((now or time.time()) // totp.interval)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if constant_time_compare(totp.generate_otp(step), code):
            # Conditional update: two requests racing with the same code cannot both win.
            return TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step) == 1
    return False


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _hash_recovery_code(code: str) -> str:
    # A fast hash suffices: codes are ~50 random bits, and only ten may be tried before throttling.
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


@transaction.atomic
def regenerate_recovery_codes(user) -> list[str]:
    """Ten new codes (returned to show once); the old ones stop working."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _code in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_hash_recovery_code(c)) for c in codes)
    return codes


@transaction.atomic
def confirm_enrolment(user, code: str) -> list[str]:
    """Turn two-factor on with the first code from the app; returns the recovery codes."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise Conflict(_("start the set-up first"))
    if not _accept_code(device, _normalise(code)):
        raise BadInput(
            _("that code is not valid; check the phone's clock and try the next code"), field="code"
        )
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    return regenerate_recovery_codes(user)


def verify_second_factor(user, code: str) -> str | None:
    """'totp' or 'recovery' when the code is accepted (a recovery code is used up), else None.
    Recovery codes exist only while a second factor (app or passkey) is on: see `disable` and
    passkeys.remove."""
    code = _normalise(code or "")
    if not code:
        return None
    if code.isdigit() and len(code) == 6:
        device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
        return "totp" if device is not None and _accept_code(device, code) else None
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_hash_recovery_code(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return "recovery" if used == 1 else None


def remaining_recovery_codes(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def disable(user) -> None:
    TotpDevice.objects.filter(user=user).delete()
    if not has_second_factor(user):  # passkeys still ask for a second factor: keep their way back
        RecoveryCode.objects.filter(user=user).delete()
