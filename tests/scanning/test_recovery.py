"""The state tables are the truth: what they say is pending or died mid-stage is queued again."""

import subprocess
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_q.models import OrmQ

from apps.assets.models import Asset
from apps.scanning import liveness, pipeline, recovery, services, tasks
from apps.scanning.models import AssetStage, ScanRun
from apps.scanning.pipeline import run_stages
from mediahub.config import LONG_QUEUE
from tests.factories import AssetFactory

from .conftest import STAGES, make_jpeg, make_tree
from .stages import runs

pytestmark = pytest.mark.django_db


def stages(*names):
    return override_settings(MEDIAHUB_PIPELINE_STAGES=[f"{STAGES}.{name}" for name in names])


def queued_tasks(queue="mediahub") -> list[dict]:
    return [row.task for row in OrmQ.objects.filter(key=queue).order_by("id")]


@pytest.fixture
def pending(library):
    return [AssetFactory(library=library, status="pending") for _ in range(3)]


def age(queryset, seconds=3600):
    queryset.update(updated=timezone.now() - timedelta(seconds=seconds))


@stages("RecordStartStage")
def test_a_stage_attempt_is_on_record_before_the_stage_runs(pending, stage_log):
    run_stages([pending[0].pk])
    [(_, asset_id, attempts, error)] = runs(stage_log)
    assert (asset_id, attempts, error) == (
        str(pending[0].pk),
        "1",
        "worker_died_1_time_while_running_test-record",
    )
    row = AssetStage.objects.get(asset=pending[0])
    assert (row.attempts, row.error, row.done_at is not None) == (1, "", True)


@stages("EveryAssetStage", "DieStage")
def test_a_process_that_dies_mid_stage_leaves_rows_that_count_its_deaths(library, stage_log):
    doomed = AssetFactory(library=library, path="a/die.jpg", filename="die.jpg", status="pending")
    for deaths in (1, 2):
        with pytest.raises(SystemExit):
            run_stages([doomed.pk])
        row = AssetStage.objects.get(asset=doomed, stage="test-die")
        assert (row.attempts, row.done_at, row.error) == (
            deaths,
            None,
            pipeline.died_text("test-die", deaths),
        )
    assert (
        AssetStage.objects.get(asset=doomed, stage="test-every").done_at is not None
    )  # recorded as it ended
    assert Asset.objects.get(pk=doomed.pk).status == "pending"
    assert pipeline.died_text("x", 3) == "worker died 3 times while running x"


@stages("EveryAssetStage", "DieStage")
def test_died_stages_are_queued_again_one_asset_per_task_until_the_limit_then_the_error_is_recorded(pending):
    doomed, mate, _ = pending
    for asset in (doomed, mate):
        AssetStage.objects.create(
            asset=asset, stage="test-die", attempts=1, error=pipeline.died_text("test-die", 1)
        )
    retried, given_up = recovery.requeue_died()
    assert (retried, given_up) == ({doomed.pk, mate.pk}, 0)
    assert sorted(task["args"][0] for task in queued_tasks()) == sorted([[str(doomed.pk)], [str(mate.pk)]])

    OrmQ.objects.all().delete()
    AssetStage.objects.filter(asset=doomed).update(attempts=3, error=pipeline.died_text("test-die", 3))
    AssetStage.objects.filter(asset=mate).update(done_at=timezone.now(), error="")
    assert recovery.requeue_died() == (set(), 1)
    doomed.refresh_from_db()
    assert (
        doomed.status == "error"
        and doomed.last_error == "test-die: worker died 3 times while running test-die"
    )
    assert recovery.requeue_died() == (set(), 0) and not OrmQ.objects.exists()


@stages("DieStage")
def test_a_died_stage_whose_asset_a_live_worker_holds_is_left_to_that_worker(pending):
    AssetStage.objects.create(
        asset=pending[0], stage="test-die", attempts=1, error=pipeline.died_text("test-die", 1)
    )
    held = pipeline._try_lock_all([pending[0].pk])
    try:
        assert pipeline.locked_assets([a.pk for a in pending]) == {pending[0].pk}
        assert recovery.requeue_died() == (set(), 0)
    finally:
        pipeline._unlock_all(held)
    assert pipeline.locked_assets([pending[0].pk]) == set()


@stages("EveryAssetStage")
def test_pending_assets_are_queued_again_only_when_no_queue_has_work_waiting(pending, library):
    age(Asset.objects.all())
    services.enqueue_stages([pending[0].pk])  # still waiting for a worker: the others may be behind it
    assert recovery.reconcile_stages()["pending requeued"] == 0
    OrmQ.objects.all().delete()
    assert recovery.reconcile_stages()["pending requeued"] == 3
    OrmQ.objects.all().delete()
    Asset.objects.filter(pk=pending[0].pk).update(updated=timezone.now())  # just indexed: its task is coming
    assert recovery.reconcile_stages()["pending requeued"] == 2
    OrmQ.objects.all().delete()
    # A cluster that starts takes them all, and while it is young what was touched before it started
    # (the claims of the cluster it replaces were lost).
    assert recovery.reconcile_stages(starting=True)["pending requeued"] == 3
    OrmQ.objects.all().delete()
    assert recovery.reconcile_stages(started=timezone.now())["pending requeued"] == 3


@stages("EveryAssetStage")
def test_pending_assets_of_a_library_being_scanned_are_left_to_the_scan(pending, library):
    age(Asset.objects.all())
    ScanRun.objects.create(
        library=library, state="running", heartbeat=timezone.now(), **liveness.this_process()
    )
    assert recovery.reconcile_stages(starting=True)["pending requeued"] == 0


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_running_scan_whose_process_is_gone_is_failed_and_a_fresh_scan_queued(
    library, django_capture_on_commit_callbacks
):
    dead = ScanRun.objects.create(
        library=library,
        state="running",
        heartbeat=timezone.now(),
        hostname=liveness.this_process()["hostname"],
        pid=dead_pid(),
    )
    with (
        override_settings(MEDIAHUB_SCAN_STALE_SECONDS=3600),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = recovery.reconcile_scans()
    assert (report["scans failed"], report["scans restarted"]) == (1, 1)
    dead.refresh_from_db()
    assert dead.state == "failed" and dead.error_log[-1]["error"] == liveness.VANISHED
    fresh = ScanRun.objects.get(library=library, state="queued")
    assert [task["args"] for task in queued_tasks(LONG_QUEUE)] == [(fresh.pk,)]


def test_a_library_whose_scans_keep_dying_is_not_restarted_a_fourth_time(library):
    for _ in range(recovery.MAX_RESTARTS - 1):
        ScanRun.objects.create(
            library=library, state="failed", error_log=[{"path": "", "error": liveness.VANISHED}]
        )
    ScanRun.objects.create(
        library=library, state="running", hostname=liveness.this_process()["hostname"], pid=dead_pid()
    )
    assert recovery.reconcile_scans()["scans restarted"] == 0
    assert not ScanRun.objects.filter(state__in=["queued", "running"]).exists()


def test_a_queued_scan_blocks_its_library_while_a_scan_worker_vouches_for_it_and_no_longer(
    library, superuser_client, settings
):
    settings.MEDIAHUB_SCAN_STALE_SECONDS = 60
    scan = f"/api/libraries/{library.pk}/scan/"
    assert superuser_client.post(scan).status_code == 202
    queued = ScanRun.objects.get(library=library)
    long_ago = timezone.now() - timedelta(seconds=600)
    ScanRun.objects.filter(pk=queued.pk).update(created=long_ago, heartbeat=None)
    recovery.reconcile_scans()  # a live scan worker: it vouches, and queues the scan's task again
    assert superuser_client.post(scan).status_code == 409
    ScanRun.objects.filter(pk=queued.pk).update(heartbeat=long_ago)  # no worker vouched for 10 minutes
    assert superuser_client.post(scan).status_code == 202
    queued.refresh_from_db()
    assert queued.state == "failed" and queued.error_log[-1]["error"] == liveness.UNCLAIMED


def test_a_cluster_that_starts_queues_every_queued_scan_again(library):
    run = services.start_scan(library)  # its task is queued on commit, which never comes here
    assert recovery.reconcile_scans()["scans requeued"] == 0  # just queued: its task is on its way
    assert recovery.reconcile_scans(starting=True)["scans requeued"] == 1
    assert [task["args"] for task in queued_tasks(LONG_QUEUE)] == [(run.pk,)]


@stages("EveryAssetStage")
def test_a_rescan_queues_again_what_is_pending_when_no_task_waits(library, library_root, stage_log):
    make_tree(library_root, 3)
    services.scan_library(library, inline=True)
    Asset.objects.update(status="pending")
    AssetStage.objects.all().delete()  # indexed, but its stages never ran (its task was lost)
    services.enqueue_stages([Asset.objects.first().pk])
    services.scan_library(library)  # a task waits: the pending assets are probably in the queue
    assert OrmQ.objects.count() == 1
    OrmQ.objects.all().delete()
    services.scan_library(library)
    assert sorted(asset_id for task in queued_tasks() for asset_id in task["args"][0]) == sorted(
        str(pk) for pk in Asset.objects.values_list("pk", flat=True)
    )


@stages("EveryAssetStage", "LongStage")
def test_a_pipeline_task_leaves_long_stages_to_a_task_of_their_own_on_the_long_queue(
    library, library_root, stage_log
):
    make_jpeg(str(library_root / "a.jpg"))
    asset = AssetFactory(library=library, path="a.jpg", filename="a.jpg", status="pending")
    assert tasks.run_stages_task([str(asset.pk)])["deferred"] == 1
    assert runs(stage_log) == [("test-every", str(asset.pk))]
    [long_task] = queued_tasks(LONG_QUEUE)
    assert Asset.objects.get(pk=asset.pk).status == "pending"
    tasks.run_stages_task(*long_task["args"])
    assert runs(stage_log)[-1] == ("test-long", str(asset.pk))
    assert Asset.objects.get(pk=asset.pk).status == "ready"
    assert not queued_tasks()
