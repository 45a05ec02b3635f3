"""A scan of some folders (the watcher's) waits on the default queue, a whole-library scan on the
long one: a new photo is not indexed minutes late behind a transcode or a re-cluster."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import OrmQ

from apps.assets.models import Asset
from apps.scanning import recovery, services
from apps.scanning.models import AssetStage, ScanRun
from apps.scanning.scope import Scope
from mediahub.config import LONG_QUEUE
from tests.factories import AssetFactory

from .conftest import make_jpeg
from .subprocess_env import qcluster
from .test_worker_faults import ClusterLog, fault_env, held, wait_until

DEFAULT_QUEUE = "mediahub"


def queued_scans(queue: str) -> list:
    return [row.task["args"] for row in OrmQ.objects.filter(key=queue) if row.task["func"].endswith("scan_library_task")]


@pytest.mark.django_db
def test_a_scan_of_some_folders_waits_on_the_default_queue_and_a_whole_library_scan_on_the_long_one(
    library, other_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scoped = services.start_scan(library, scope=Scope.of({"2024": False}))
    ScanRun.objects.filter(pk=scoped.pk).update(state=ScanRun.State.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        whole = services.start_scan(library)
    assert queued_scans(DEFAULT_QUEUE) == [(scoped.pk,)]
    assert queued_scans(LONG_QUEUE) == [(whole.pk,)]


@pytest.mark.django_db
def test_a_lost_scan_of_some_folders_is_queued_again_on_the_default_queue(library):
    run = services.start_scan(library, scope=Scope.of({"2024": False}))  # on commit, which never comes
    # The long cluster restarting says nothing about the default queue's tasks.
    assert recovery.reconcile_scans(starting=True)["scans requeued"] == 0
    ScanRun.objects.filter(pk=run.pk).update(created=timezone.now() - timedelta(minutes=10))
    assert recovery.reconcile_scans()["scans requeued"] == 1  # settled, and the default queue is empty
    assert queued_scans(DEFAULT_QUEUE) == [(run.pk,)] and queued_scans(LONG_QUEUE) == []


@pytest.mark.django_db(transaction=True)
def test_a_watcher_scan_finishes_while_a_long_task_holds_the_long_queue(library, library_root, tmp_path, stage_log):
    env = fault_env(tmp_path, ["HoldOnceLongStage"])
    log = ClusterLog(tmp_path / "cluster.log")
    long_task = AssetFactory(library=library, path="video/hold.mp4", filename="hold.mp4", status="pending")
    with qcluster(env, log=log.path) as short, qcluster(env, long=True, log=log.path) as long:
        services.enqueue_stages([long_task.pk], stage_names=["test-hold-long"], long=True)
        wait_until(lambda: held(tmp_path, long=True), "the long worker busy", log, [short, long])

        make_jpeg(library_root / "2024" / "IMG_0001.jpg", seed=5)
        run = services.start_scan(library, scope=Scope.of({"2024": False}))
        done = ScanRun.objects.filter(pk=run.pk, state=ScanRun.State.DONE)
        wait_until(done.exists, "the watcher's scan to finish", log, [short, long], timeout=30)

        assert Asset.objects.filter(library=library, path="2024/IMG_0001.jpg").exists()
        holding = AssetStage.objects.filter(asset=long_task, stage="test-hold-long", done_at__isnull=True)
        assert holding.exists() and long.poll() is None  # the long worker is still on its task
