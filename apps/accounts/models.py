from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models

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
