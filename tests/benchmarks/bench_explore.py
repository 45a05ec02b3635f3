"""Explore reads at 1,000,000 assets: timeline buckets of the whole library, "on this day"
memories, and a folder of 10,000 files (its subfolder listing and its first page of files).

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_explore.py -s
Prints p50/p95 of each request through the API and the p50 of its SQL (goals: buckets < 100 ms,
memories < 50 ms, folder < 50 ms), and the floor: a request that does next to nothing. Set
BENCH_ASSETS to change the row count, BENCH_EXPLAIN=1 to print the plan of each slowest statement.
"""

import os
import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.assets.models import Asset
from tests.benchmarks.bench_timeline import column_expression
from tests.factories import LibraryFactory

ROWS = int(os.environ.get("BENCH_ASSETS", 1_000_000))
BIG_FOLDER = 10_000
REPEATS = int(os.environ.get("BENCH_REPEATS", 30))

# Committed rows, so VACUUM can set the visibility map as autovacuum does on a live server: the
# memories and folder reads are index-only scans.
pytestmark = pytest.mark.django_db(transaction=True)

SPECIAL = {
    # The first 10,000 rows share one folder; the rest spread over 20 years x 12 months folders.
    "path": f"CASE WHEN n <= {BIG_FOLDER} THEN 'big/IMG_' || n || '.jpg' "
            "ELSE 'y' || (n %% 20) || '/m' || (n %% 12) || '/IMG_' || n || '.jpg' END",
}


def bulk_insert(library_id, rows):
    fields = [f for f in Asset._meta.concrete_fields if not f.generated]
    columns = ", ".join(f.column for f in fields)
    values = ", ".join(SPECIAL.get(f.column) or column_expression(f, library_id) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {Asset._meta.db_table} ({columns}) SELECT {values} "
                       "FROM generate_series(1::bigint, %s) n", [rows])
        cursor.execute(f"VACUUM ANALYZE {Asset._meta.db_table}")


def timed(client, url, check):
    """(p50, p95) of the whole request, and p50 of its SQL alone (the database's share: on a
    shared, busy machine the request's Python is most of the wall time)."""
    samples, sql = [], []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        assert response.status_code == 200, response.content[:300]
        check(response.json())
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], statistics.median(sql)


def explain(client, url):
    """EXPLAIN ANALYZE of the slowest statement a request runs (BENCH_EXPLAIN=1)."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest['sql']}")
        print("\n".join(row[0] for row in cursor.fetchall()))


def test_explore_reads_at_a_million_assets(user_client, user):
    library = LibraryFactory(owner=user)
    start = time.perf_counter()
    bulk_insert(library.id, ROWS)
    print(f"\ninserted {ROWS:,} assets in {time.perf_counter() - start:.1f} s")

    cases = [
        ("timeline buckets, whole library", "/api/timeline/buckets/", 100,
         lambda body: sum(row["count"] for row in body) == ROWS),
        ("timeline buckets, one month by day", "/api/timeline/buckets/?month=2015-06", 100,
         lambda body: len(body) == 30),
        ("memories of a day", "/api/memories/?date=2025-06-15", 50,
         lambda body: len(body["memories"]) == 20),
        (f"folder of {BIG_FOLDER:,} files: listing", f"/api/folders/?library={library.id}&path=big", 50,
         lambda body: body["count"] == BIG_FOLDER),
        (f"folder of {BIG_FOLDER:,} files: first page", f"/api/assets/?library={library.id}&directory=big", 50,
         lambda body: len(body["results"]) == 100),
        ("library root: 20 subfolders of 50,000 files", f"/api/folders/?library={library.id}", None,
         lambda body: len(body["folders"]) == 21),
        ("floor: the caller's own account", "/api/auth/me", None, lambda body: body["username"] == user.username),
    ]
    for name, url, goal, check in cases:
        if os.environ.get("BENCH_EXPLAIN"):
            explain(user_client, url)
        p50, p95, sql = timed(user_client, url, check)
        aim = f"(goal: median < {goal} ms)" if goal else "(no goal: for information)"
        print(f"{name:>44}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  SQL p50 {sql:6.1f} ms  {aim}")
