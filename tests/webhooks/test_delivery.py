"""Deliveries to a local receiver: signed, retried with backoff on failure, logged attempt by attempt."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import OrmQ

from apps.core.qcluster.signals import cluster_tick
from apps.webhooks import services, signing
from apps.webhooks.models import Delivery

pytestmark = pytest.mark.django_db


def _queued_deliveries() -> list[str]:
    rows = OrmQ.objects.all()
    return [row.task["args"][0] for row in rows if row.task["func"] == "apps.webhooks.tasks.deliver"]


def test_a_delivery_is_signed_over_its_timestamp_and_body_and_the_receiver_can_verify_it(
    admin, hook_for, receiver
):
    hook = hook_for(admin, "album.shared")
    delivery = services.ping(admin, hook)
    services.deliver(delivery.pk)

    [got] = receiver.received
    header = got.headers["MediaHub-Signature"]
    assert signing.verify(hook.secret, header, got.body)
    assert not signing.verify(hook.secret + "x", header, got.body)
    assert not signing.verify(hook.secret, header, got.body + b" ")
    timestamp = int(header.split(",")[0].removeprefix("t="))
    late = timestamp + signing.TOLERANCE + 1
    assert not signing.verify(hook.secret, header, got.body, now=late)  # a replay
    body = json.loads(got.body)
    assert (body["event"], body["id"], body["data"]) == ("ping", str(delivery.event_id), {"hook": hook.pk})
    assert got.headers["MediaHub-Event"] == "ping"
    assert got.headers["MediaHub-Delivery"] == str(delivery.pk)
    assert got.headers["Content-Type"] == "application/json"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("delivered", 1, None)
    [attempt] = delivery.attempt_log.all()
    assert (attempt.status_code, attempt.response, attempt.error) == (200, "answered 200", "")


def test_a_500_is_tried_again_after_a_backoff_and_the_log_shows_both_attempts(
    admin, hook_for, receiver, settings
):
    settings.MEDIAHUB_WEBHOOK_BACKOFF = 30
    receiver.answers = [500]
    delivery = services.ping(admin, hook_for(admin))

    services.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 25 < wait <= 30
    assert services.deliver(delivery.pk).startswith("not due")  # a doubled task sends nothing early
    assert services.queue_due() == 0 and len(receiver.received) == 1

    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    cluster_tick.send(sender=None, queue=settings.Q_CLUSTER["name"], starting=False, handed_out=0)
    # The default queue's cluster tick queued the retry ...
    assert _queued_deliveries() == [str(delivery.pk)]
    assert services.queue_due() == 0  # ... once
    services.deliver(delivery.pk)  # ... and a worker runs it

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("delivered", 2)
    log = [(a.number, a.status_code, a.response) for a in delivery.attempt_log.all()]
    assert log == [(1, 500, "answered 500"), (2, 200, "answered 200")]
    assert all(a.duration_ms >= 0 and a.started for a in delivery.attempt_log.all())
    assert receiver.received[0].body == receiver.received[1].body  # the same event, signed afresh


def test_the_backoff_doubles_and_a_longer_retry_after_is_honoured(settings):
    settings.MEDIAHUB_WEBHOOK_BACKOFF = 30
    assert [services.delivery.backoff(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert services.delivery.backoff(1, "90") == 90
    assert services.delivery.backoff(20) == 3600


def test_a_receiver_that_refuses_with_a_4xx_fails_at_once(admin, hook_for, receiver):
    receiver.answers = [410]
    delivery = services.ping(admin, hook_for(admin))
    services.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.finished is not None) == ("failed", 1, True)


def test_a_receiver_too_slow_is_an_error_and_the_last_allowed_attempt_fails_the_delivery(
    admin, hook_for, receiver, settings
):
    settings.MEDIAHUB_WEBHOOK_TIMEOUT = 0.3
    settings.MEDIAHUB_WEBHOOK_ATTEMPTS = 2
    receiver.hang = True
    delivery = services.ping(admin, hook_for(admin))
    services.deliver(delivery.pk)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    services.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("failed", 2)
    errors = [(a.status_code, a.error) for a in delivery.attempt_log.all()]
    assert [code for code, _ in errors] == [None, None]
    assert all("timed out" in error for _, error in errors), errors


def test_nothing_listens_on_the_port_an_error_is_logged_and_retried_later(admin, hook_for, receiver):
    hook = hook_for(admin)
    hook.url = "http://127.0.0.1:9/closed"  # the discard port: nothing answers there
    hook.save()
    delivery = services.ping(admin, hook)
    services.deliver(delivery.pk)
    delivery.refresh_from_db()
    [attempt] = delivery.attempt_log.all()
    assert delivery.state == "pending" and attempt.status_code is None and "refused" in attempt.error.lower()


def test_a_hook_switched_off_after_the_event_sends_nothing(admin, hook_for, receiver):
    hook = hook_for(admin)
    delivery = services.ping(admin, hook)
    hook.active = False
    hook.save()
    services.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == "failed" and not receiver.received
    assert "off" in delivery.attempt_log.get().error
