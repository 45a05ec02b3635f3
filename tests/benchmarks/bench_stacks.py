"""The timeline's first page with stacks, at 1,000,000 assets, before/after in one database.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_stacks.py -s
Prints p50/p95 of the request and p50 of its SQL for the API's first page
(`GET /api/assets/?ordering=-taken_at`) and the Photos page (HTML, 120 tiles):
1. without stacks, the API with `stacked=true` (its query as it was before stacks: no stack clause);
2. without stacks, as lists now run (members behind a cover left out, the badge's count per row);
3. with 30% of the rows in stacks of three (bursts), as lists now run.
(`/?stacked=true` is no "before" for the Photos page: any filter there makes the scrubber count
months live instead of from the stored deltas, seconds at this size.)
BENCH_ASSETS changes the row count.
"""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.benchmarks.bench_timeline import ROWS, bulk_insert
from tests.factories import LibraryFactory

REPEATS = 30

pytestmark = pytest.mark.django_db

STACK_SQL = [
    # Every tenth row and the two after it in timeline order: one stack of three, the first on top.
    "CREATE TEMP TABLE bench_members AS SELECT id, rn / 10 AS grp, rn % 10 AS pos FROM ("
    " SELECT id, row_number() OVER (ORDER BY taken_at DESC, id DESC) - 1 AS rn FROM assets_asset) t"
    " WHERE rn % 10 < 3",
    "CREATE TEMP TABLE bench_covers AS SELECT grp, id AS cover FROM bench_members WHERE pos = 0",
    "INSERT INTO assets_stack (kind, created, primary_id) SELECT 'burst', now(), cover FROM bench_covers",
    "UPDATE assets_asset a SET stack_id = s.id, covered_by_id = NULLIF(c.cover, a.id)"
    " FROM bench_members m JOIN bench_covers c USING (grp) JOIN assets_stack s ON s.primary_id = c.cover"
    " WHERE a.id = m.id",
    "ANALYZE assets_asset",
    "ANALYZE assets_stack",
]


def timed(client, url, check):
    samples, sql = [], []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        assert response.status_code == 200
        check(response)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], statistics.median(sql)


def api_rows(response):
    assert len(response.json()["results"]) == 100


def html_tiles(response):
    assert response.content.count(b'class="tile ') == 120


def report(label, pages):
    for name, (who, url, check) in pages.items():
        p50, p95, sql = timed(who, url, check)
        print(f"{label:>30} | {name:<18}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  SQL p50 {sql:5.1f} ms")


def test_timeline_first_page_with_stacks_at_a_million_assets(user_client, client, user):
    library = LibraryFactory(owner=user)
    start = time.perf_counter()
    bulk_insert(library.id, ROWS)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assets_asset")
    print(f"\ninserted {ROWS:,} assets in {time.perf_counter() - start:.1f} s")
    client.force_login(user)
    report("no stacks, stacked=true", {
        "API first page": (user_client, "/api/assets/?ordering=-taken_at&stacked=true", api_rows),
    })
    pages = {
        "API first page": (user_client, "/api/assets/?ordering=-taken_at", api_rows),
        "Photos page": (client, "/", html_tiles),
    }
    report("no stacks, one tile per stack", pages)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in STACK_SQL:
            cursor.execute(statement)
    print(f"stacked {ROWS * 3 // 10:,} assets in threes in {time.perf_counter() - start:.1f} s")
    report("30% stacked, one tile per stack", pages)
    assert b"data-stack-count" in client.get("/").content
