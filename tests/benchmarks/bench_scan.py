"""Scan throughput: first scan, a rescan of the unchanged tree, and a --full rescan (re-hash).

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_scan.py -s
Set BENCH_SCAN_FILES (default 20,000) to change the tree size, e.g. 100000 for the issue's
rescan goal (>= 20,000 files/s, peak memory < 400 MB).

Each scan is the real `manage.py scan LIBRARY` command in a child process against the test
database, with no pipeline stages registered (so it measures the walk, hashing and index writes,
not thumbnails). Reported per scan: files/s over the scan itself (ScanRun started -> finished),
the command's wall time including Django start-up, and the child's peak RSS.
"""

import os
import resource
import subprocess
import sys
import time

import pytest

from apps.assets.models import Asset
from apps.scanning.models import ScanRun
from tests.factories import LibraryFactory, UserFactory
from tests.scanning.conftest import jpeg_bytes
from tests.scanning.subprocess_env import REPO, child_env

FILES = int(os.environ.get("BENCH_SCAN_FILES", "20000"))
PER_DIR = 200


def build_tree(root) -> None:
    template = jpeg_bytes(1)
    for i in range(FILES):
        folder = root / f"{i // PER_DIR:04d}"
        if i % PER_DIR == 0:
            folder.mkdir()
        (folder / f"IMG_{i:06d}.jpg").write_bytes(template + i.to_bytes(4, "big"))  # distinct hashes


def timed_scan(library, env, *flags):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "scan", str(library.pk), *flags],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    wall = time.perf_counter() - start
    assert result.returncode == 0, result.stderr[-2000:]
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # max over children so far
    run = ScanRun.objects.filter(library=library).latest("created")
    seconds = (run.finished - run.started).total_seconds()
    return run, seconds, wall, max(before, peak_kib), result.stdout.strip().splitlines()[-1]


@pytest.mark.django_db(transaction=True)
def test_scan_throughput(tmp_path):
    root = tmp_path / "library"
    root.mkdir()
    t0 = time.perf_counter()
    build_tree(root)
    print(f"\nbuilt {FILES:,} files in {time.perf_counter() - t0:.1f} s")
    library = LibraryFactory(root_path=str(root), owner=UserFactory(username="bench"))
    env = child_env(tmp_path / "data", MEDIAHUB_PIPELINE_STAGES="")

    rows = []
    # The first scan queues the pipeline work for the workers, as `manage.py scan` does by default.
    for label, flags in [("first scan", []), ("rescan, unchanged", []), ("rescan --full", ["--full"])]:
        run, seconds, wall, peak_kib, summary = timed_scan(library, env, *flags)
        rows.append((label, run, seconds, wall, peak_kib))
        print(f"  {summary}")
    assert Asset.objects.filter(library=library).count() == FILES

    print(f"\n{'scan':<20}{'files':>9}{'new':>8}{'scan s':>9}{'files/s':>10}{'wall s':>9}{'peak RSS':>11}")
    for label, run, seconds, wall, peak_kib in rows:
        print(
            f"{label:<20}{run.files_seen:>9,}{run.new:>8,}{seconds:>9.2f}{run.files_seen / seconds:>10,.0f}"
            f"{wall:>9.2f}{peak_kib / 1024:>9.0f} MB"
        )
    first, rescan = rows[0], rows[1]
    print(f"unchanged rescan is {first[2] / rescan[2]:.1f}x faster than the first scan")
    print("(peak RSS is the maximum over the child processes run so far)")
