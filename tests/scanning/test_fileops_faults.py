"""A move of many files is one job on a real `manage.py qcluster` (the long queue's); the whole
cluster is killed with SIGKILL mid-job and started again: the job resumes from its journal and
ends with every file in exactly one place, each keeping its asset id, and the index saying where."""

import os
import time

import pytest

from apps.assets.models import Asset
from apps.scanning import services
from apps.scanning.fileops import services as fileops
from apps.scanning.models import FileOperation

from .conftest import STAGES, make_tree
from .subprocess_env import child_env, start_qcluster, stop_qcluster
from .test_fileops import indexed, on_disk, sidecar
from .test_worker_faults import ClusterLog, kill_group, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

FILES = 200
BATCH = 5  # steps per transaction: the kill lands between two of many
SIDECAR_EVERY = 10  # every tenth photo has an XMP sidecar, which moves in the same job


def test_a_move_job_killed_with_sigkill_mid_way_resumes_and_loses_or_doubles_no_file(
    library, library_root, user, tmp_path, settings
):
    settings.MEDIAHUB_SCAN_STALE_SECONDS = 3
    library.read_only = False
    library.save()
    names = make_tree(library_root, FILES, per_dir=50)
    sidecars = [f"{name}.xmp" for name in names[::SIDECAR_EVERY]]
    for name in sidecars:
        sidecar(library_root / name, 3)
    (library_root / "dest").mkdir()
    services.scan_library(library, inline=True)
    ids = dict(Asset.objects.filter(library=library).values_list("filename", "pk"))
    env = child_env(
        tmp_path / "worker-data", MEDIAHUB_PIPELINE_STAGES=f"{STAGES}.SizeStage", MEDIAHUB_FILEOPS_BATCH=BATCH,
        MEDIAHUB_RECONCILE_INTERVAL=1, MEDIAHUB_SCAN_STALE_SECONDS=3, MEDIAHUB_LONG_TASK_TIMEOUT=120,
    )
    log = ClusterLog(tmp_path / "cluster.log")
    cluster = start_qcluster(env, long=True, log=log.path)
    try:
        operation = fileops.move(user, library.pk, "dest", raw_paths=names)
        assert operation.state == "queued" and operation.total == FILES + len(sidecars)
        job = FileOperation.objects.filter(pk=operation.pk)
        wait_until(lambda: job.get().done >= 4 * BATCH, "the job under way", log, [cluster])
        kill_group(cluster)
        killed_at = job.get()
        assert killed_at.state == "running" and killed_at.done < FILES, "the job ended before the kill"
        for name in names + sidecars:  # mid-job: each file at its old place or its new one, not both/neither
            old, new = library_root / name, library_root / "dest" / os.path.basename(name)
            assert old.exists() != new.exists(), name

        started = time.monotonic()
        cluster = start_qcluster(env, long=True, log=log.path)
        wait_until(lambda: job.get().state == "done", "the job resumed and done", log, [cluster])
        print(f"\nFIGURE resumed after kill -9 at {killed_at.done} of {FILES}: {time.monotonic() - started:.1f} s")
    finally:
        stop_qcluster(cluster)
    done = job.get()
    assert (done.done, done.failed) == (FILES + len(sidecars), 0)
    assert not done.items.exclude(state="done").exists()
    assert sorted(os.listdir(library_root / "dest")) == sorted([*ids, *map(os.path.basename, sidecars)])
    assert on_disk(library_root, sidecars=True) == {f"dest/{os.path.basename(name)}" for name in sidecars}
    assert on_disk(library_root) == indexed(library)
    assert dict(Asset.objects.filter(library=library).values_list("filename", "pk")) == ids  # same ids, none new
    assert not any(name.startswith(".mediahub") for name in os.listdir(library_root / "dest"))
