"""How deliveries meet the worker queue. The Delivery table is the truth: a delivery is `queued`
while a task for it should be in the queue, and `next_attempt_at` says until when; the cluster tick
(queue_due) queues every delivery whose time has come: retries whose backoff is over, and tasks the
queue lost (a worker killed while sending, a queue flushed)."""

from datetime import timedelta

from django.db.models.functions import Now
from django.utils import timezone

from apps.core.queue import enqueue

from ..models import Delivery

TASK = "apps.webhooks.tasks.deliver"
# A queued delivery whose task has not run by then is presumed lost and queued again (the default
# queue also carries pipeline stages, so a long scan may keep it waiting for minutes).
LOST_AFTER = timedelta(minutes=10)


def enqueue_delivery(pk) -> None:
    enqueue(TASK, str(pk), key=f"webhook-{pk}", group="webhooks")


def queue_due(limit: int = 500) -> int:
    """Queue the deliveries whose time has come; returns how many."""
    active = [Delivery.State.PENDING, Delivery.State.QUEUED, Delivery.State.SENDING]
    due = list(
        Delivery.objects.filter(state__in=active, next_attempt_at__lte=Now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    if not due:
        return 0
    # Marked queued first, so the next tick does not queue them again while they wait.
    Delivery.objects.filter(pk__in=due, state__in=active, next_attempt_at__lte=Now()).update(
        state=Delivery.State.QUEUED, next_attempt_at=timezone.now() + LOST_AFTER
    )
    for pk in due:
        enqueue_delivery(pk)
    return len(due)
