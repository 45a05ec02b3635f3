"""Webhooks: URLs an admin registers for events, and the log of every delivery to them.

A hook is its owner's: it hears only of what its owner sees (apps/webhooks/services/fanout.py), so
only its owner (and a superadmin) may see, change or delete it: whoever could point it elsewhere
would hear what its owner hears. Deliveries and their attempts belong to their hook.
"""

import secrets
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.events import EVENTS
from apps.core.querysets import Action, VisibleQuerySet


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def validate_events(events) -> None:
    """For the admin's form; the API's services check the same (services/hooks.py)."""
    unknown = [event for event in events if event not in EVENTS]
    if unknown or not events:
        raise ValidationError(_("one or more of: %(names)s"), params={"names": ", ".join(EVENTS)})


class WebhookQuerySet(VisibleQuerySet):
    refusal = "only the owner of a webhook may {action} it"

    def visible_to(self, user, action: Action | str = Action.VIEW):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self if user.is_superuser else self.filter(owner=user)


class Webhook(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks")
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"), max_length=2000, validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("http or https; receives a POST per event"),
    )
    events = ArrayField(
        models.CharField(max_length=40), default=list, validators=[validate_events],
        help_text=_("Event names it hears, separated by commas (README: Webhooks)"),
    )
    secret = models.CharField(
        _("secret"), max_length=100, default=new_secret, help_text=_("Key of the HMAC-SHA256 signature")
    )
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return f"{self.name} ({self.url})"


class DeliveryQuerySet(VisibleQuerySet):
    refusal = "only the owner of a webhook may {action} its deliveries"

    def visible_to(self, user, action: Action | str = Action.VIEW):
        return self.filter(hook__in=Webhook.objects.visible_to(user, action))


class Delivery(models.Model):
    """One event for one hook. `next_attempt_at` is when to try it again (pending), when its queued task
    is presumed lost (queued), or when the worker sending it is presumed dead (sending): the cluster
    tick queues every delivery past it (services/queueing.py)."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")  # waiting for its next attempt (a backoff)
        QUEUED = "queued", _("queued")  # a task for it is in the queue
        SENDING = "sending", _("sending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    # The same for every hook that heard one event (and for a redelivery), so receivers can dedupe.
    event_id = models.UUIDField(default=uuid.uuid4)
    payload = models.JSONField(encoder=DjangoJSONEncoder)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="delivery_due",
                condition=models.Q(state__in=["pending", "queued", "sending"]),
            )
        ]

    def __str__(self):
        return f"{self.event} -> {self.hook.name} ({self.state})"


class AttemptQuerySet(VisibleQuerySet):
    def visible_to(self, user, action: Action | str = Action.VIEW):
        return self.filter(delivery__in=Delivery.objects.visible_to(user, action))


class Attempt(models.Model):
    """One POST of a delivery: what came back, or why nothing did."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.TextField(blank=True, help_text=_("The start of the receiver's answer"))
    error = models.TextField(blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="attempt_once")]

    def __str__(self):
        return f"#{self.number}: {self.status_code or self.error[:40]}"

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
