"""/api/jobs/, /metrics and /api/system/ at a large stage-status table: BENCH_JOBS_ASSETS assets
(default 250,000) with a row for each of the 8 default stages (2,000,000 rows, done a day ago so
that throughput counts none), 0.5 % of them failed, 1,000 pending assets with no row yet and 200
died rows, half of them held by this session.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_jobs.py -s
Prints p50/p95 of each; the page polls /jobs/ every 5 s, so its answer should stay well under 1 s.
"""

import os
import statistics
import time

import pytest
from django.db import connection

from apps.assets.models import Asset
from apps.scanning.models import AssetStage
from apps.scanning.pipeline import _try_lock_all, _unlock_all
from apps.stats.metrics import ScrapeCollector
from apps.stats.services import jobs, queues, system
from apps.stats.services.kinds import KINDS
from tests.benchmarks.bench_timeline import bulk_insert
from tests.conftest import client_for
from tests.factories import LibraryFactory

ASSETS = int(os.environ.get("BENCH_JOBS_ASSETS", 250_000))
STAGES = ["metadata", "thumbnail", "preview", "poster", "transcode", "faces", "clip", "search"]
REPEATS = 15

pytestmark = pytest.mark.django_db


def fill_stage_table():
    table = AssetStage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (asset_id, stage, done_at, error, attempts, updated)"
            f" SELECT a.id, s.stage,"
            f"  CASE WHEN (hashtext(a.id::text || s.stage) %% 200) = 0 THEN NULL ELSE now() - interval '1 day' END,"
            f"  CASE WHEN (hashtext(a.id::text || s.stage) %% 200) = 0 THEN 'OSError: broken' ELSE '' END,"
            f"  1, now()"
            f" FROM assets_asset a CROSS JOIN unnest(%s::text[]) AS s(stage)",
            [STAGES],
        )
        cursor.execute(f"ANALYZE {table}")


def timed(call) -> list[float]:
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return sorted(samples)


def report(name, samples):
    p95 = samples[max(int(len(samples) * 0.95) - 1, 0)]
    print(f"{name:<44} p50 {statistics.median(samples):8.1f} ms   p95 {p95:8.1f} ms")


def test_jobs_and_metrics_at_two_million_stage_rows(admin_user, user):
    library = LibraryFactory(owner=user)
    start = time.perf_counter()
    bulk_insert(library.id, ASSETS)
    fill_stage_table()
    bulk_insert(LibraryFactory(owner=user).id, 1000)  # new files: no stage row yet
    Asset.objects.exclude(library=library).update(status="pending")
    died = list(Asset.objects.filter(status="ready").values_list("pk", flat=True)[:200])
    AssetStage.objects.filter(asset__in=died, stage="faces").update(
        done_at=None, error="worker died 1 time while running faces"
    )
    rows = AssetStage.objects.count()
    print(f"\n{ASSETS:,} assets, {rows:,} stage rows, set up in {time.perf_counter() - start:.1f} s")
    held = _try_lock_all(died[:100])
    try:
        overview = jobs.overview()
        faces = next(k for k in overview["kinds"] if k["name"] == "faces")
        print(f"faces: {faces['running']} running, {faces['queued']} queued, {faces['failed']} failed, {faces['done']} done")
        report("jobs.overview(), done counts reused", timed(jobs.overview))

        def cold():
            jobs.forget_done_counts()
            jobs.overview()

        report("jobs.overview(), done counts read again", timed(cold))
        report("  of which: stage counts (done reused)", timed(jobs._stage_counts))
        stages_of = {k.name: list(k.stages) for k in KINDS if k.is_pipeline}
        report("  of which: backlogs", timed(lambda: jobs.backlog(stages_of)))
        every_stage = [name for names in stages_of.values() for name in names]
        report("  of which: latest failures", timed(lambda: jobs._stage_failures(every_stage)))
        collector = ScrapeCollector()
        report("metrics: assets by status and kind", timed(collector._assets))
        report("metrics: stage throughput", timed(lambda: list(collector._throughput())))
        report("metrics: queue depths", timed(queues.depths))
        client = client_for(admin_user)
        report("GET /api/jobs/ (done counts reused)", timed(lambda: client.get("/api/jobs/")))
        system.forget_cached()
        report("GET /api/system/ (ffmpeg cached after first)", timed(lambda: client.get("/api/system/")))
        report("GET /metrics (done counts reused)", timed(lambda: client.get("/metrics")))
    finally:
        _unlock_all(held)
