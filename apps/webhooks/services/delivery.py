"""Sending one delivery: a signed POST, its attempt logged, then delivered, retried later, or failed.

A 2xx answer delivers. A network error, a timeout, a 5xx, 408 or 429 is tried again after
MEDIAHUB_WEBHOOK_BACKOFF seconds, doubling each time (30 s, 1, 2, 4, 8 min by default; a longer
Retry-After is honoured, up to an hour), until MEDIAHUB_WEBHOOK_ATTEMPTS attempts; any other answer
(a 3xx: redirects are not followed, as a redirected POST would lose its body; a 4xx: the receiver
refuses it) fails the delivery at once. An admin can redeliver it from the Django admin.
"""

import json
import time
import urllib.error
import urllib.request
from datetime import timedelta
from http.client import HTTPException

from django.conf import settings
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone

from apps.accounts.roles import Role
from mediahub.version import __version__

from .. import signing
from ..models import Attempt, Delivery
from .queueing import LOST_AFTER, enqueue_delivery

SNIPPET = 1000  # characters of the receiver's answer kept in the log
RETRIED_STATUSES = {408, 429}
MAX_DELAY = 3600


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx itself is the answer, logged as a failure


_opener = urllib.request.build_opener(_NoRedirects)


def deliver(delivery_id) -> str:
    """The task's work: send the delivery if it is due and nobody else is sending it."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return "not due, or being sent by another worker"
    hook = delivery.hook
    body = body_of(delivery)
    started, clock = timezone.now(), time.monotonic()
    if not hook.active or not hook.owner.has_role(Role.ADMIN):
        status, snippet, retry_after = None, "", None
        error = "the webhook is off, or its owner no longer an admin"
        final = True
    else:
        status, snippet, error, retry_after = _post(hook, delivery, body)
        final = not (status is None or status >= 500 or status in RETRIED_STATUSES)
    Attempt.objects.create(
        delivery=delivery, number=delivery.attempts, started=started, status_code=status,
        duration_ms=round((time.monotonic() - clock) * 1000), response=snippet, error=error,
    )
    if status is not None and 200 <= status < 300:
        _finish(delivery, Delivery.State.DELIVERED)
    elif final or delivery.attempts >= settings.MEDIAHUB_WEBHOOK_ATTEMPTS:
        _finish(delivery, Delivery.State.FAILED)
    else:
        delay = backoff(delivery.attempts, retry_after)
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.PENDING, next_attempt_at=timezone.now() + timedelta(seconds=delay)
        )
    return f"{delivery.event} to {hook.url}: attempt {delivery.attempts}, {status or error}"


def backoff(attempts: int, retry_after: str | None = None) -> float:
    """Seconds before the next attempt after `attempts` failed ones."""
    delay = settings.MEDIAHUB_WEBHOOK_BACKOFF * 2 ** (attempts - 1)
    if retry_after and retry_after.strip().isdigit():
        delay = max(delay, int(retry_after))
    return min(delay, MAX_DELAY)


def body_of(delivery: Delivery) -> bytes:
    """What is POSTed: the event, its id (the same for every hook and redelivery) and its data."""
    document = {
        "id": str(delivery.event_id),
        "event": delivery.event,
        "created": delivery.created.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(document, separators=(",", ":")).encode()


def redeliver(delivery: Delivery) -> Delivery:
    """A new delivery of the same event to the same hook (the log of the old one stays)."""
    again = Delivery.objects.create(
        hook=delivery.hook, event=delivery.event, event_id=delivery.event_id, payload=delivery.payload,
        state=Delivery.State.QUEUED, next_attempt_at=timezone.now() + LOST_AFTER,
    )
    enqueue_delivery(again.pk)
    return again


def _claim(delivery_id) -> Delivery | None:
    """Claimed for one attempt (a lease past which a dead sender's delivery is due again), or None."""
    due = Q(state=Delivery.State.QUEUED) | Q(
        state__in=[Delivery.State.PENDING, Delivery.State.SENDING], next_attempt_at__lte=Now()
    )
    lease = timezone.now() + timedelta(seconds=2 * settings.MEDIAHUB_WEBHOOK_TIMEOUT + 30)
    claimed = Delivery.objects.filter(due, pk=delivery_id).update(
        state=Delivery.State.SENDING, next_attempt_at=lease, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("hook__owner").get(pk=delivery_id)


def _post(hook, delivery: Delivery, body: bytes):
    """(status, answer snippet, error, Retry-After) of one POST."""
    request = urllib.request.Request(
        hook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": f"MediaHub-Webhooks/{__version__}",
            "MediaHub-Event": delivery.event,
            "MediaHub-Delivery": str(delivery.pk),
            signing.HEADER: signing.header(hook.secret, body),
        },
    )
    try:
        with _opener.open(request, timeout=settings.MEDIAHUB_WEBHOOK_TIMEOUT) as response:
            return response.status, _snippet(response), "", None
    except urllib.error.HTTPError as answer:  # a non-2xx answer: still an answer
        with answer:
            return answer.code, _snippet(answer), "", answer.headers.get("Retry-After")
    except urllib.error.URLError as exc:
        return None, "", f"{type(exc.reason).__name__}: {exc.reason}", None
    except (OSError, HTTPException, ValueError) as exc:  # timeouts, resets, a malformed answer
        return None, "", f"{type(exc).__name__}: {exc}", None


def _snippet(response) -> str:
    try:
        return response.read(SNIPPET).decode("utf-8", errors="replace")
    except (OSError, HTTPException):
        return ""


def _finish(delivery: Delivery, state: str) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(state=state, next_attempt_at=None, finished=timezone.now())
