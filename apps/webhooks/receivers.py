"""Where webhooks listen: events from every app (apps.core.events) and the worker cluster's tick."""

import logging

from django.dispatch import receiver

from apps.core.events import event_happened
from apps.core.qcluster.signals import cluster_tick
from apps.core.queue import SHORT, queue_of

from . import services

logger = logging.getLogger(__name__)


@receiver(event_happened, dispatch_uid="webhooks-fan-out")
def fan_out_event(sender, event: str, subject_label: str, subject_pk, data: dict, **kwargs) -> None:
    try:
        services.fan_out(event, subject_label, subject_pk, data)
    except Exception:  # a hook's trouble must never fail the work that emitted the event
        logger.exception("webhooks: the %s event of %s %s was not queued", event, subject_label, subject_pk)


@receiver(cluster_tick, dispatch_uid="webhooks-retries")
def queue_due_deliveries(sender, queue: str, **kwargs) -> None:
    if queue_of(queue) == SHORT:
        queued = services.queue_due()
        if queued:
            logger.info("webhooks: %s deliveries due again", queued)
