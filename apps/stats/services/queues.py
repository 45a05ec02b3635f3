"""What waits in the django-q2 queues: depth per queue, and for the small queues, per task group."""

from collections import Counter

from django.conf import settings
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import OrmQ
from django_q.signing import BadSignature, SignedPackage

from apps.core.queue import QUEUES, cluster_name
from mediahub.config import broker_name

DECODE_LIMIT = 2000  # tasks read back per queue to tell their groups apart (the long queue is small)


def depth(queue: str) -> dict:
    """{"waiting": tasks no cluster holds, "claimed": tasks a cluster took and has not finished}.
    `claimed` is known for the ORM broker only (Redis hands a task out by removing it)."""
    broker = get_broker(cluster_name(queue))
    claimed = broker.lock_size() if broker_name(settings.Q_CLUSTER) == "orm" else None
    return {"waiting": broker.queue_size(), "claimed": claimed}


def depths() -> dict:
    return {queue: depth(queue) for queue in QUEUES}


def by_group(queue: str) -> Counter:
    """Counter of (group, claimed) over the first DECODE_LIMIT tasks of `queue` (ORM broker only: a
    Redis list is not read back)."""
    counts: Counter = Counter()
    if broker_name(settings.Q_CLUSTER) != "orm":
        return counts
    now = timezone.now()
    rows = OrmQ.objects.filter(key=cluster_name(queue)).values_list("payload", "lock")[:DECODE_LIMIT]
    for payload, lock in rows:
        try:
            task = SignedPackage.loads(payload)
        except (BadSignature, TypeError, ValueError):
            continue
        counts[(task.get("group") or "", lock > now)] += 1
    return counts
