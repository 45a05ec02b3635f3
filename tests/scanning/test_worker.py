"""A real django-q2 cluster runs a queued scan and the pipeline tasks it enqueues."""

import os

import pytest

from apps.assets.models import Asset
from apps.scanning import services
from apps.scanning.models import ScanRun

from .conftest import STAGES, make_tree
from .stages import runs
from .subprocess_env import child_env, qclusters
from .test_crash import wait_for

FILES = 40


@pytest.mark.django_db(transaction=True)
def test_a_scan_queued_through_the_api_service_is_run_by_qcluster(library, library_root, tmp_path, stage_log):
    make_tree(library_root, FILES, per_dir=10)
    env = child_env(
        tmp_path / "worker-data",
        MEDIAHUB_PIPELINE_STAGES=f"{STAGES}.SizeStage",
        MEDIAHUB_WORKERS=2,
        STAGE_LOG=stage_log,
    )
    with qclusters(env) as (cluster, _long):
        run = services.start_scan(library)  # enqueued on commit; autocommit here
        assert run.state == "queued"
        wait_for(
            lambda: ScanRun.objects.get(pk=run.pk).state not in ("queued", "running"), cluster, "the scan"
        )
        done = ScanRun.objects.get(pk=run.pk)
        assert (done.state, done.new, done.errors) == ("done", FILES, 0)
        assert done.pid and done.pid != os.getpid()  # it ran in a worker process
        ready = Asset.objects.filter(library=library, status="ready")
        wait_for(lambda: ready.count() == FILES, cluster, "the pipeline tasks")
    assert sorted(asset_id for _, asset_id in runs(stage_log)) == sorted(
        str(pk) for pk in Asset.objects.filter(library=library).values_list("pk", flat=True)
    )
