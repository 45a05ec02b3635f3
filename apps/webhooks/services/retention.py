"""How long the delivery log is kept: MEDIAHUB_WEBHOOK_LOG_DAYS after a delivery finished (delivered
or failed). Deliveries still under way (waiting for a retry, queued, sending) are never purged, or a
retry would find its row gone. Run daily by the "Purge webhook delivery log" schedule (migration
0002, editable in the admin)."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Delivery

logger = logging.getLogger(__name__)

FINISHED = (Delivery.State.DELIVERED, Delivery.State.FAILED)
# Deliveries deleted per statement (their attempts with them): a long log never holds locks for long.
CHUNK = 1000


def purge_log(now: datetime | None = None) -> int:
    """Delete the finished deliveries older than MEDIAHUB_WEBHOOK_LOG_DAYS; returns how many."""
    days = settings.MEDIAHUB_WEBHOOK_LOG_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = Delivery.objects.filter(state__in=FINISHED, finished__lt=cutoff)
    deleted = 0
    while chunk := list(old.order_by("finished").values_list("pk", flat=True)[:CHUNK]):
        Delivery.objects.filter(pk__in=chunk, state__in=FINISHED).delete()
        deleted += len(chunk)
    logger.info("webhook delivery log: %s deliveries older than %s days deleted", deleted, days)
    return deleted
