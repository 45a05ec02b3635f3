"""An event becomes one delivery per hook that listens to it and whose owner sees its subject.

Who hears what: a hook is an admin's and hears an event only when its owner, at that moment, still
holds the admin role and sees the event's subject through the subject's own `visible_to` (the
library scanned or uploaded to, the person named, the album shared). So an admin's hook hears about
their own libraries and those shared with them, never about another user's private photos; a
superadmin's hook hears everything, as a superadmin sees everything.
"""

import uuid

from django.apps import apps as django_apps
from django.db import transaction
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core.events import PING
from apps.core.querysets import Action, check_action

from ..models import Delivery, Webhook
from .queueing import LOST_AFTER, enqueue_delivery


def fan_out(event: str, subject_label: str, subject_pk, data: dict) -> list[Delivery]:
    """The deliveries of one event (already committed by the emitter); each is queued."""
    hooks = [
        hook
        for hook in Webhook.objects.filter(active=True, events__contains=[event]).select_related("owner")
        if hook.owner.has_role(Role.ADMIN)
    ]
    if not hooks:
        return []
    subjects = django_apps.get_model(subject_label)._default_manager.filter(pk=subject_pk)
    sees = {}
    for owner in {hook.owner for hook in hooks}:
        sees[owner.pk] = subjects.visible_to(owner).exists()
    event_id = uuid.uuid4()
    return _create(
        [
            Delivery(hook=hook, event=event, event_id=event_id, payload=data)
            for hook in hooks
            if sees[hook.owner_id]
        ]
    )


def ping(user, hook: Webhook) -> Delivery:
    """A test delivery to the hook, whatever events it listens to (GitHub's "ping")."""
    check_action(hook, user, Action.CHANGE)
    return _create([Delivery(hook=hook, event=PING, payload={"hook": hook.pk})])[0]


def _create(deliveries: list[Delivery]) -> list[Delivery]:
    queued_until = timezone.now() + LOST_AFTER
    for delivery in deliveries:
        delivery.state, delivery.next_attempt_at = Delivery.State.QUEUED, queued_until
    Delivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: enqueue_delivery(pk))
    return deliveries
