"""A real `manage.py watch` and real django-q2 clusters: files copied into a library are indexed
once each, from scans of the touched folders only, even when the watcher is killed mid-copy."""

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from blake3 import blake3

from apps.assets.models import Asset
from apps.scanning.models import ScanRun

from .conftest import STAGES, jpeg_bytes, make_tree
from .stages import runs
from .subprocess_env import child_env, qclusters, start_watch, stop_qcluster, watcher

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 90


def poll(condition, what, procs=(), timeout=DEADLINE):
    deadline = time.monotonic() + timeout
    while not condition():
        for proc in procs:
            assert proc.poll() is None, f"a child exited ({proc.returncode}) before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def says(log: Path, text: str, count: int = 1):
    return lambda: log.exists() and log.read_text().count(text) >= count


def watch_env(tmp_path, stage_log, **extra):
    return child_env(
        tmp_path / "worker-data",
        MEDIAHUB_PIPELINE_STAGES=f"{STAGES}.SizeStage",
        STAGE_LOG=stage_log,
        MEDIAHUB_WATCH_SETTLE=0.5,
        MEDIAHUB_WATCH_REFRESH=1,
        MEDIAHUB_SCAN_STALE_SECONDS=10,
        **extra,
    )


def idle(library):
    return lambda: not ScanRun.objects.filter(library=library, state__in=["queued", "running"]).exists()


def copy_in(root: Path, names: list[str], first_seed: int, pause_between_folders: float = 0) -> None:
    """A copy as cp makes one: each file created, then written in pieces; a camera card's folders
    one after another, with a pause between them when asked (the workload, not a wait)."""
    pause = threading.Event()
    for offset, name in enumerate(names):
        path = root / name
        if pause_between_folders and offset and not path.parent.exists():
            pause.wait(pause_between_folders)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = jpeg_bytes(first_seed + offset)
        with open(path, "wb") as fh:
            fh.write(data[: len(data) // 2])
            fh.flush()
            fh.write(data[len(data) // 2 :])


def test_files_copied_into_a_watched_library_are_indexed_by_scans_of_their_folders_only(
    library, library_root, tmp_path, stage_log
):
    make_tree(library_root, 30, per_dir=10)
    env = watch_env(tmp_path, stage_log)
    log = tmp_path / "watch.log"
    with qclusters(env) as clusters, watcher(env, log) as watch:
        procs = [*clusters, watch]
        poll(says(log, "ready: watching"), "the watcher to start", procs)
        poll(lambda: Asset.objects.filter(library=library).count() == 30, "the catch-up scan", procs)
        poll(idle(library), "the catch-up scan to end", procs)
        before = ScanRun.objects.filter(library=library).count()
        copy_in(library_root, [f"new/{i:03d}.jpg" for i in range(50)], first_seed=1000)
        os.remove(library_root / "d000" / "IMG_00000.jpg")
        os.rename(library_root / "d001" / "IMG_00010.jpg", library_root / "new" / "moved.jpg")
        poll(lambda: Asset.objects.filter(library=library, path__startswith="new/").count() == 51, "the copies", procs)
        poll(lambda: Asset.objects.filter(library=library, status="missing").count() == 1, "the deletion", procs)
        poll(idle(library), "the scans to end", procs)
    scans = ScanRun.objects.filter(library=library).order_by("pk")[before:]
    assert scans and all(run.scope and run.state == "done" for run in scans)
    assert sum(run.files_seen for run in scans) < 30 + 51  # folders, never the whole library
    assert (sum(run.new for run in scans), sum(run.moved for run in scans)) == (50, 1)
    assert Asset.objects.get(library=library, path="d000/IMG_00000.jpg").status == "missing"


@pytest.mark.faults
def test_kill_9_of_the_watcher_during_a_copy_loses_nothing_and_indexes_nothing_twice(
    library, library_root, tmp_path, stage_log
):
    env = watch_env(tmp_path, stage_log)
    log = tmp_path / "watch.log"
    names = [f"import/{i // 40:02d}/IMG_{i:04d}.jpg" for i in range(240)]
    with qclusters(env) as clusters:
        first = start_watch(env, log)
        poll(says(log, "ready: watching"), "the watcher to start", [*clusters, first])
        copying = threading.Thread(target=copy_in, args=(library_root, names, 0, 1.0))
        copying.start()
        poll(says(log, "folder(s)"), "a first folder scan", clusters)
        poll(lambda: (library_root / names[130]).exists(), "half the copy", clusters)
        os.killpg(first.pid, signal.SIGKILL)  # mid-copy: events it had not turned into scans die with it
        first.wait()
        copying.join()
        second = start_watch(env, log)
        try:
            procs = [*clusters, second]
            poll(says(log, "ready: watching", 2), "the watcher to restart", procs)
            poll(lambda: Asset.objects.filter(library=library).count() == len(names), "every file", procs)
            poll(idle(library), "the scans to end", procs)
            poll(lambda: len(runs(stage_log)) == len(names), "the pipeline", procs)
        finally:
            stop_qcluster(second)
    assets = list(Asset.objects.filter(library=library))
    assert sorted(a.path for a in assets) == sorted(names)
    for asset in assets:  # the whole file, never half of it
        data = (library_root / asset.path).read_bytes()
        assert (asset.size, asset.content_hash) == (len(data), blake3(data).hexdigest())
    ran = [asset_id for _, asset_id in runs(stage_log)]
    assert sorted(ran) == sorted(str(a.pk) for a in assets)  # each asset's stages ran exactly once
    assert not ScanRun.objects.filter(library=library, changed__gt=0).exists()
