"""A scan killed with SIGKILL half-way, then a new scan: every file indexed exactly once."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db.models import Count
from django.test import override_settings

from apps.assets.models import Asset
from apps.scanning import services
from apps.scanning.models import AssetStage, ScanRun

from .conftest import STAGES, make_tree
from .subprocess_env import REPO, child_env

FILES = 300
BATCH = 40


def wait_for(condition, proc, what, timeout=90):
    """Polls a condition the child makes true; fails fast if the child died instead."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"child exited ({proc.returncode}) before {what}: {proc.stdout.read()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_kill_9_in_the_middle_of_a_scan_then_rescan_indexes_every_file_once(
    library, library_root, tmp_path, stage_log
):
    make_tree(library_root, FILES, per_dir=20)
    gate_reached, gate_fifo = tmp_path / "gate-reached", tmp_path / "gate.fifo"
    os.mkfifo(gate_fifo)
    env = child_env(
        tmp_path / "child-data",
        MEDIAHUB_PIPELINE_STAGES=f"{STAGES}.SizeStage,{STAGES}.GateStage",
        MEDIAHUB_SCAN_BATCH_SIZE=BATCH,
        GATE_REACHED=gate_reached,
        GATE_FIFO=gate_fifo,
        STAGE_LOG=stage_log,
    )
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "scan", str(library.pk), "--inline"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # The first batch is committed and its stages have started: the scan is mid-way.
        wait_for(gate_reached.exists, proc, "the pipeline gate")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    killed = ScanRun.objects.get(library=library)
    assert killed.state == "running" and killed.pid == proc.pid
    indexed_before = Asset.objects.filter(library=library).count()
    assert 0 < indexed_before < FILES

    with override_settings(MEDIAHUB_PIPELINE_STAGES=[f"{STAGES}.SizeStage"]):
        run = services.scan_library(library, inline=True)

    assert run.state == "done" and run.new == FILES - indexed_before
    killed.refresh_from_db()
    assert killed.state == "failed"
    assets = Asset.objects.filter(library=library)
    assert assets.count() == FILES
    assert not assets.values("path").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert set(assets.values_list("status", flat=True)) == {"ready"}
    assert (
        AssetStage.objects.filter(asset__library=library, stage="test-size", done_at__isnull=False).count()
        == FILES
    )
    assert {a.width for a in assets} == {16}
