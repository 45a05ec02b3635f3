"""The nightly rescan: a django-q2 cron schedule created once (by migration), then the admin's."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from django_q.models import Schedule

from apps.scanning import services
from apps.scanning.models import ScanRun
from apps.scanning.schedules import RESCAN_SCHEDULE, ensure_rescan_schedule, next_cron_run
from apps.scanning.scope import Scope
from tests.factories import LibraryFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("apps.scanning.migrations.0005_nightly_rescan_schedule")


def test_the_migration_creates_the_nightly_rescan_at_the_configured_time(settings):
    settings.MEDIAHUB_RESCAN_CRON = "30 4 * * *"
    Schedule.objects.filter(name=RESCAN_SCHEDULE).delete()  # a transactional test may have flushed it
    migration.create(apps, None)
    row = Schedule.objects.get(name=RESCAN_SCHEDULE)
    assert (row.func, row.schedule_type, row.cron, row.repeats) == (
        "apps.scanning.tasks.rescan_libraries_task", Schedule.CRON, "30 4 * * *", -1)
    when = timezone.localtime(row.next_run)
    assert (when.hour, when.minute) == (4, 30) and timezone.now() < row.next_run <= timezone.now() + dt.timedelta(days=1)


def test_an_admins_edit_of_the_schedule_is_never_written_over():
    Schedule.objects.filter(name=RESCAN_SCHEDULE).delete()
    assert ensure_rescan_schedule(Schedule, "0 3 * * *")
    Schedule.objects.filter(name=RESCAN_SCHEDULE).update(cron="15 1 * * 0", repeats=0)
    assert not ensure_rescan_schedule(Schedule, "0 3 * * *")
    assert Schedule.objects.filter(name=RESCAN_SCHEDULE).values_list("cron", "repeats").get() == ("15 1 * * 0", 0)


def test_a_wrong_cron_is_refused_with_the_setting_named():
    with pytest.raises(ValueError, match="MEDIAHUB_RESCAN_CRON"):
        ensure_rescan_schedule(Schedule, "at three")


def test_next_cron_run_is_the_next_time_named():
    after = dt.datetime(2026, 1, 1, 3, 0, 0, tzinfo=dt.UTC)
    assert next_cron_run("0 3 * * *", after) == dt.datetime(2026, 1, 2, 3, 0, tzinfo=dt.UTC)


def test_the_nightly_rescan_queues_one_incremental_scan_per_library_not_paused(library, user):
    paused = LibraryFactory(owner=user, paused=True)
    busy = LibraryFactory(owner=user)
    services.start_scan(busy)
    assert services.rescan_libraries() == "1 scan(s) queued, 1 library already being scanned"
    run = ScanRun.objects.get(library=library)
    assert (run.state, run.full, run.scope) == ("queued", False, {})
    assert not ScanRun.objects.filter(library=paused).exists()


def test_the_admin_lists_the_schedule_and_what_each_scan_covered(superuser, client, library):
    Schedule.objects.filter(name=RESCAN_SCHEDULE).delete()
    ensure_rescan_schedule(Schedule, "0 3 * * *")
    services.start_scan(library, scope=Scope.of({"DCIM/100": False}))
    client.force_login(superuser)
    schedules = client.get("/admin/django_q/schedule/")
    assert schedules.status_code == 200 and RESCAN_SCHEDULE in schedules.content.decode()
    row = Schedule.objects.get(name=RESCAN_SCHEDULE)
    assert client.get(f"/admin/django_q/schedule/{row.pk}/change/").status_code == 200
    scans = client.get("/admin/scanning/scanrun/").content.decode()
    assert "DCIM/100" in scans
