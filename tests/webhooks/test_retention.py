"""The delivery log is kept MEDIAHUB_WEBHOOK_LOG_DAYS after a delivery finished, then purged by a
daily schedule; a delivery still waiting for an attempt is never purged."""

import importlib
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from apps.webhooks import tasks
from apps.webhooks.models import Attempt, Delivery

pytestmark = pytest.mark.django_db

State = Delivery.State


def _delivery(hook, state, days_ago: float, finished: bool = True) -> Delivery:
    when = timezone.now() - timedelta(days=days_ago)
    delivery = Delivery.objects.create(hook=hook, event="album.shared", payload={}, state=state,
                                       attempts=1, finished=when if finished else None)
    Delivery.objects.filter(pk=delivery.pk).update(created=when)  # auto_now_add: set after
    Attempt.objects.create(delivery=delivery, number=1, started=when, duration_ms=5, status_code=500)
    return delivery


def test_finished_deliveries_older_than_the_log_days_go_and_those_still_waiting_for_a_retry_stay(
    admin, hook_for, settings
):
    settings.MEDIAHUB_WEBHOOK_LOG_DAYS = 30
    hook = hook_for(admin, "album.shared")
    old = [_delivery(hook, State.DELIVERED, 31), _delivery(hook, State.FAILED, 45)]
    kept = [
        _delivery(hook, State.DELIVERED, 29), _delivery(hook, State.FAILED, 1),
        # Made long ago and still under way: a retry, a queued task, a send in progress.
        _delivery(hook, State.PENDING, 40, finished=False), _delivery(hook, State.QUEUED, 40, finished=False),
        _delivery(hook, State.SENDING, 40, finished=False),
    ]

    assert tasks.purge_delivery_log() == "2 deliveries deleted from the log"

    assert set(Delivery.objects.values_list("pk", flat=True)) == {d.pk for d in kept}
    assert not Attempt.objects.filter(delivery_id__in=[d.pk for d in old]).exists()
    assert Attempt.objects.count() == len(kept)

    settings.MEDIAHUB_WEBHOOK_LOG_DAYS = 0  # keeps the log forever
    Delivery.objects.update(finished=timezone.now() - timedelta(days=3650))
    assert tasks.purge_delivery_log() == "0 deliveries deleted from the log"
    assert Delivery.objects.count() == len(kept)


def test_the_log_purge_runs_daily_from_a_schedule_the_admin_can_edit():
    from django.apps import apps

    migration = importlib.import_module("apps.webhooks.migrations.0002_delivery_log_purge_schedule")
    Schedule.objects.filter(name=migration.NAME).delete()  # a transactional test may have flushed it
    migration.create(apps, None)
    schedule = Schedule.objects.get(name="Purge webhook delivery log")
    assert schedule.func == "apps.webhooks.tasks.purge_delivery_log"
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1
    assert timezone.now() < schedule.next_run <= timezone.now() + timedelta(days=1)

    Schedule.objects.filter(pk=schedule.pk).update(schedule_type=Schedule.WEEKLY)  # an admin's edit
    migration.create(apps, None)
    assert Schedule.objects.get(name="Purge webhook delivery log").schedule_type == Schedule.WEEKLY
