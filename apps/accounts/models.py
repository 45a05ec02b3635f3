from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.querysets import Action, VisibleQuerySet

from .roles import Role


class User(AbstractUser):
    """Our own user model from day one, so roles and profile fields can grow here."""

    display_name = models.CharField(max_length=150, blank=True)
    avatar = models.ForeignKey(
        "assets.Asset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="One of the user's own visible photos",
    )
    # A code of settings.LANGUAGES; empty: the browser's Accept-Language decides
    # (apps/accounts/middleware.py).
    language = models.CharField(max_length=16, blank=True, default="")

    def __str__(self):
        return self.display_name or self.username

    @cached_property
    def role(self) -> Role:
        """superadmin is is_superuser; admin is membership of the `admin` group; everyone else is a user."""
        if self.is_superuser:
            return Role.SUPERADMIN
        if not self.pk:
            return Role.USER
        return Role.ADMIN if self.groups.filter(name=Role.ADMIN.value).exists() else Role.USER

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("role", None)  # a cached role would outlive the reload
        super().refresh_from_db(*args, **kwargs)

    def has_role(self, role: Role | str) -> bool:
        """At least this role (an admin also has the user role)."""
        return self.is_active and self.role.rank >= Role(role).rank


class OwnedQuerySet(VisibleQuerySet):
    """Secrets of one user (tokens, 2FA): each user sees, changes and revokes only their own,
    superadmins included (an admin resets a password instead, which revokes every token)."""

    def visible_to(self, user, action: Action | str = Action.VIEW):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class ApiToken(models.Model):
    """A named API key for scripts and apps. Only a SHA-256 of the key is kept: it is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # SHA-256 suffices (no slow hash): keys are 256 random bits, so there is nothing to brute-force.
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="First characters of the key, to recognise it")
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class TotpDevice(models.Model):
    """The user's authenticator app. Unconfirmed until the first code is verified."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The time step of the last accepted code: a code seen once is refused a second time.
    last_step = models.BigIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "TOTP device"

    def __str__(self):
        return f"TOTP of {self.user}"


class RecoveryCode(models.Model):
    """A one-time code for when the authenticator is lost; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recoverycode_unique")]

    def __str__(self):
        return f"recovery code of {self.user}"


class LoginFailure(models.Model):
    """One failed login, kept in the database so every web process throttles alike."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)
    reason = models.CharField(max_length=32, default="password")

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["ip", "at"], name="loginfailure_ip_at")]

    def __str__(self):
        return f"{self.username}@{self.ip} {self.at:%Y-%m-%d %H:%M:%S}"


class Passkey(models.Model):
    """A WebAuthn credential: a second factor after the password, and a password-less sign-in
    where the authenticator keeps it (a discoverable credential). Only the public key is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(_("name"), max_length=100)
    # base64url of the credential id (at most 1023 bytes, so at most 1364 characters).
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField()  # COSE-encoded
    sign_count = models.BigIntegerField(default=0)
    # The user handle the authenticator keeps with a discoverable credential (base64url); the same for
    # all of one user's passkeys, random so it tells an authenticator nothing about the account.
    user_handle = models.CharField(max_length=100, db_index=True)
    transports = models.JSONField(default=list, blank=True)
    backed_up = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("passkey")

    def __str__(self):
        return f"{self.name} ({self.user})"


class SuperadminQuerySet(VisibleQuerySet):
    """Invitations and sign-up requests create accounts: only superadmins (who manage users) see
    or make them."""

    def visible_to(self, user, action: Action | str = Action.VIEW):
        if not (user.is_authenticated and user.is_active and user.is_superuser):
            return self.none()
        return self.all()


class Invitation(models.Model):
    """A single-use, expiring sign-up link (MEDIAHUB_SIGNUP=invite). Only a SHA-256 of its token is
    kept: the link is shown once, like an API token."""

    token_hash = models.CharField(max_length=64, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("Who the link is for"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = SuperadminQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("invitation")

    def __str__(self):
        return f"invitation {self.pk} ({self.note})"


class SignupRequest(models.Model):
    """An account made through the open sign-up (MEDIAHUB_SIGNUP=approval), inactive until a
    superadmin approves it; a rejected one is deleted with its account."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="signup_request")
    created = models.DateTimeField(auto_now_add=True)

    objects = SuperadminQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("sign-up request")

    def __str__(self):
        return f"sign-up of {self.user}"
