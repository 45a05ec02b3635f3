"""Faults a home server meets for real, on real `manage.py qcluster` processes and the embedded
PostgreSQL: a worker killed while idle, the whole cluster killed mid-pipeline, a queued scan left by
a dead cluster, and a file whose decoding gets the worker killed every time. Each ends with every
asset ready (or in error with the reason), exactly once, and no manual command. The measured times
are printed (`-s`): the bounds asserted here are the ones the README promises, at test settings.
"""

import os
import re
import signal
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import psutil
import pytest
from django.db.models import Count
from django.utils import timezone
from django_q.models import OrmQ

from apps.assets.models import Asset
from apps.scanning import services
from apps.scanning.liveness import UNCLAIMED
from apps.scanning.models import AssetStage, ScanRun
from mediahub.config import LONG_QUEUE
from tests.conftest import client_for
from tests.factories import LibraryFactory

from .conftest import STAGES, make_jpeg, make_tree
from .stages import runs
from .subprocess_env import child_env, start_qcluster, stop_qcluster

pytestmark = pytest.mark.django_db(transaction=True)

BATCH = 5  # assets per pipeline task: several tasks in flight at once
TICK = 1  # seconds between reconciliations
STALE = 3  # seconds without a sign of life before a scan counts as abandoned


class ClusterLog:
    """The clusters' output, in a file the test reads while they run."""

    def __init__(self, path: Path):
        self.path = path

    def text(self) -> str:
        return self.path.read_text() if self.path.exists() else ""

    def ready_workers(self) -> list[int]:
        return [int(pid) for pid in re.findall(r"ready for work at (\d+)", self.text())]


def wait_until(condition, what: str, log: ClusterLog, clusters=(), timeout: float = 60):
    """Polls `condition` until it holds; fails at the deadline, or at once if a cluster exited."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        for cluster in clusters:
            assert cluster.poll() is None, (
                f"a cluster exited ({cluster.returncode}) before {what}:\n{log.text()[-3000:]}"
            )
        assert time.monotonic() < deadline, f"timed out waiting for {what}:\n{log.text()[-3000:]}"
        time.sleep(0.1)
    return result


def fault_env(tmp_path, stages: list[str], **extra) -> dict:
    fifo = tmp_path / "hold.fifo"
    if not fifo.exists():
        os.mkfifo(fifo)
    return child_env(
        tmp_path / "worker-data",
        MEDIAHUB_PIPELINE_STAGES=",".join(f"{STAGES}.{stage}" for stage in stages),
        MEDIAHUB_WORKERS=2,
        MEDIAHUB_STAGE_BATCH_SIZE=BATCH,
        MEDIAHUB_RECONCILE_INTERVAL=TICK,
        MEDIAHUB_SCAN_STALE_SECONDS=STALE,
        MEDIAHUB_WORKER_STOP_GRACE=2,
        MEDIAHUB_TASK_TIMEOUT=60,
        MEDIAHUB_LONG_TASK_TIMEOUT=120,
        HOLD_REACHED=tmp_path / "hold-reached",
        HOLD_LONG_REACHED=tmp_path / "hold-long-reached",
        HOLD_FIFO=fifo,
        **extra,
    )


def kill_group(cluster) -> None:
    os.killpg(cluster.pid, signal.SIGKILL)
    cluster.wait()


def figure(name: str, seconds: float) -> None:
    print(f"\nFIGURE {name}: {seconds:.1f} s")


def held(tmp_path, count: int = 1, long: bool = False) -> bool:
    """True once `count` workers are held in HoldOnceStage (or HoldOnceLongStage)."""
    name = "hold-long-reached" if long else "hold-reached"
    return all((tmp_path / f"{name}-{slot}").exists() for slot in range(count))


def alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wchan(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return ""


@pytest.fixture(autouse=True)
def test_batches(settings):
    settings.MEDIAHUB_STAGE_BATCH_SIZE = BATCH  # what the test process queues, too
    settings.MEDIAHUB_SCAN_STALE_SECONDS = STALE


def test_idle_workers_killed_with_sigkill_are_replaced_and_the_cluster_still_works_then_stops_on_sigterm(
    library, library_root, tmp_path, stage_log
):
    make_tree(library_root, 11)
    make_jpeg(library_root / "hold" / "IMG_hold.jpg", seed=99)
    log = ClusterLog(tmp_path / "cluster.log")
    cluster = start_qcluster(fault_env(tmp_path, ["SizeStage", "HoldOnceStage"]), log=log.path)
    try:
        idle = wait_until(
            lambda: log.ready_workers()[:2] if len(log.ready_workers()) >= 2 else None,
            "two idle workers",
            log,
            [cluster],
        )
        # One idle worker waits for a task inside the task queue's read lock, the other for that lock.
        wait_until(
            lambda: any("pipe" in wchan(pid) for pid in idle) or not wchan(idle[0]),
            "an idle worker reading the task queue",
            log,
            [cluster],
        )
        for pid in idle:
            os.kill(pid, signal.SIGKILL)
        # (The new worker may say it is ready before the sentinel logs why it spawned it.)
        wait_until(
            lambda: len(log.ready_workers()) >= 4 and log.text().count("after death") == 2,
            "two workers in their place",
            log,
            [cluster],
        )

        services.scan_library(library)  # walks here; the pipeline is queued for the cluster
        ready = Asset.objects.filter(library=library, status="ready")
        held_batch = AssetStage.objects.filter(stage="test-hold", error__startswith="worker died")
        # Done: every asset but those of the task a worker is now held in. A stage marks its whole
        # batch before it runs, so while another batch is in the hold stage the sum is 12 too; only
        # the held task (at most BATCH assets) may be left.
        wait_until(
            lambda: held(tmp_path) and ready.count() + held_batch.count() == 12 and ready.count() >= 12 - BATCH,
            "the work queued after the kills",
            log,
            [cluster],
        )
        # A worker is now held inside a stage for ever: SIGTERM (what systemd and Docker send) must
        # still stop the cluster, giving the busy worker its grace.
        started = time.monotonic()
        cluster.send_signal(signal.SIGTERM)
        cluster.wait(timeout=15)
        figure("SIGTERM to exit with a worker stuck in a stage", time.monotonic() - started)
        assert cluster.returncode == 0
    finally:
        stop_qcluster(cluster)
    stopped = Asset.objects.get(library=library, path__endswith="IMG_hold.jpg")
    assert stopped.status == "pending"  # stopped mid-stage: its row says so, the next start retries it
    assert (
        AssetStage.objects.get(asset=stopped, stage="test-hold").error
        == "worker died 1 time while running test-hold"
    )


def test_a_cluster_killed_mid_pipeline_finishes_every_asset_exactly_once_when_started_again(
    library, library_root, tmp_path, stage_log
):
    files = 50
    make_tree(library_root, files, per_dir=10)
    env = fault_env(
        tmp_path,
        ["SizeStage", "HoldOnceStage", "EveryAssetStage"],
        MEDIAHUB_SCAN_BATCH_SIZE=10,
        HOLD_MATCH="IMG_0002",
        HOLD_COUNT=2,
    )
    log = ClusterLog(tmp_path / "cluster.log")
    short, long = start_qcluster(env, log=log.path), start_qcluster(env, long=True, log=log.path)
    try:
        services.start_scan(library)
        # Both workers mid-stage, the rest of the pipeline queued or handed out: then kill -9 it all.
        wait_until(lambda: held(tmp_path, 2), "both workers mid-stage", log, [short, long])
        kill_group(short)
        kill_group(long)
        ready = Asset.objects.filter(library=library, status="ready")
        left = files - ready.count()
        assert left > 0
        started = time.monotonic()
        short, long = start_qcluster(env, log=log.path), start_qcluster(env, long=True, log=log.path)
        wait_until(
            lambda: (
                ready.count() == files
                and not ScanRun.objects.filter(state__in=["queued", "running"]).exists()
            ),
            "every asset ready after the restart",
            log,
            [short, long],
        )
        figure(
            f"recovery after kill -9 of both clusters ({left} of {files} assets left)",
            time.monotonic() - started,
        )
    finally:
        stop_qcluster(short)
        stop_qcluster(long)
    assets = Asset.objects.filter(library=library)
    assert assets.count() == files
    assert not assets.values("path").annotate(n=Count("id")).filter(n__gt=1).exists()
    for stage in ("test-size", "test-hold", "test-every"):
        assert (
            AssetStage.objects.filter(asset__library=library, stage=stage, done_at__isnull=False).count()
            == files
        )
    ran = Counter(runs(stage_log))
    for stage in ("test-size", "test-every"):
        counts = [ran[(stage, str(pk))] for pk in assets.values_list("pk", flat=True)]
        # Only what the killed workers were running is run again: at most their two batches.
        assert min(counts) == 1 and sum(counts) - files <= 2 * BATCH, (stage, sorted(counts))
    assert ScanRun.objects.filter(library=library, state="done").exists()


def test_a_scan_left_queued_by_a_dead_cluster_stops_blocking_its_library_within_the_bound(
    library, library_root, tmp_path, stage_log, superuser
):
    make_tree(library_root, 4)
    make_jpeg(library_root / "hold" / "IMG_hold.jpg", seed=99)
    other_root = tmp_path / "other"
    make_tree(other_root, 3)
    other = LibraryFactory(root_path=str(other_root.resolve()), owner=superuser, name="Other")
    env = fault_env(tmp_path, ["SizeStage", "HoldOnceLongStage"])
    log = ClusterLog(tmp_path / "cluster.log")
    client = client_for(superuser)
    scan_other = f"/api/libraries/{other.pk}/scan/"
    short, long = start_qcluster(env, log=log.path), start_qcluster(env, long=True, log=log.path)
    try:
        services.start_scan(library)
        wait_until(lambda: held(tmp_path, long=True), "the long worker busy", log, [short, long])
        assert client.post(scan_other).status_code == 202
        queued = ScanRun.objects.get(library=other)
        handed_out = OrmQ.objects.filter(key=LONG_QUEUE, lock__gt=timezone.now())
        wait_until(
            lambda: handed_out.count() == 2, "the queued scan handed to the long cluster", log, [short, long]
        )
        # While a live scan worker vouches for it, a queued scan blocks its library however long it waits.
        vouched = ScanRun.objects.filter(
            pk=queued.pk, heartbeat__gt=queued.created + timedelta(seconds=STALE + 1)
        )
        wait_until(vouched.exists, "a vouch after the stale bound", log, [short, long])
        assert client.post(scan_other).status_code == 409

        kill_group(short)
        kill_group(long)
        killed = time.monotonic()
        wait_until(
            lambda: client.post(scan_other).status_code == 202,
            "the library unblocked",
            log,
            timeout=STALE + 10,
        )
        figure(f"409 after the cluster died (bound {STALE} s)", time.monotonic() - killed)
        assert ScanRun.objects.get(pk=queued.pk).error_log[-1]["error"] == UNCLAIMED

        started = time.monotonic()
        short, long = start_qcluster(env, log=log.path), start_qcluster(env, long=True, log=log.path)
        wait_until(
            lambda: (
                Asset.objects.filter(status="ready").count() == 8
                and not ScanRun.objects.filter(state__in=["queued", "running"]).exists()
            ),
            "both libraries ready after the restart",
            log,
            [short, long],
        )
        figure("both libraries ready after the restart", time.monotonic() - started)
    finally:
        stop_qcluster(short)
        stop_qcluster(long)
    assert ScanRun.objects.filter(library=other, state="done").count() == 1


def test_a_file_that_gets_its_worker_killed_every_time_ends_in_error_and_the_others_become_ready(
    library, library_root, tmp_path, stage_log
):
    make_tree(library_root, 9)
    make_jpeg(library_root / "panorama" / "IMG_oom.jpg", seed=99)
    log = ClusterLog(tmp_path / "cluster.log")
    cluster = start_qcluster(
        fault_env(tmp_path, ["SizeStage", "KillWorkerStage", "EveryAssetStage"]), log=log.path
    )
    try:
        started = time.monotonic()
        services.scan_library(library)
        assets = Asset.objects.filter(library=library)
        wait_until(
            lambda: not assets.filter(status="pending").exists(), "every asset settled", log, [cluster]
        )
        figure("three worker deaths to a recorded error, the rest ready", time.monotonic() - started)
        # And if the sentinel itself dies, qcluster ends (for its supervisor to restart) leaving no orphans.
        [sentinel] = psutil.Process(cluster.pid).children()
        family = sentinel.children()
        sentinel.kill()
        assert cluster.wait(timeout=15) == 1
        assert not [p for p in family if alive(p)]
    finally:
        stop_qcluster(cluster)
    killer = assets.get(path__endswith="IMG_oom.jpg")
    row = AssetStage.objects.get(asset=killer, stage="test-kill")
    assert (row.attempts, row.done_at, row.error) == (3, None, "worker died 3 times while running test-kill")
    assert killer.status == "error" and "worker died 3 times while running test-kill" in killer.last_error
    assert assets.filter(status="ready").count() == 9
    assert log.text().count("after death") == 3
    ran = Counter(runs(stage_log))
    assert ran[("test-kill", str(killer.pk))] == 3
    assert all(
        ran[("test-every", str(pk))] == 1 for pk in assets.exclude(pk=killer.pk).values_list("pk", flat=True)
    )
