"""The timeline's first page when 30% of 1,000,000 assets are in stacks (bursts of three).

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_stacks.py -s
Prints p50/p95 of the API's first page (`GET /api/assets/?ordering=-taken_at`), a page 10,000 rows
deep and the Photos page (HTML, 120 tiles), with the stacks' other members left out and the badge
counted per row. Compare with bench_timeline.py (the same rows, no stacks). BENCH_ASSETS changes
the row count.
"""

import statistics
import time

import pytest
from django.db import connection

from apps.assets.models import Asset
from apps.core.keyset import encode_cursor
from tests.benchmarks.bench_timeline import ROWS, bulk_insert
from tests.factories import LibraryFactory

REPEATS = 40

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
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        check(response)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def test_timeline_first_page_with_stacks_at_a_million_assets(user_client, client, user):
    library = LibraryFactory(owner=user)
    start = time.perf_counter()
    bulk_insert(library.id, ROWS)
    with connection.cursor() as cursor:
        for statement in STACK_SQL:
            cursor.execute(statement)
    print(f"\ninserted {ROWS:,} assets, {ROWS // 10:,} stacks of three in {time.perf_counter() - start:.1f} s")
    client.force_login(user)

    def api_page(response):
        rows = response.json()["results"]
        assert len(rows) == 100 and any(row["stack_count"] == 3 for row in rows)

    def html_page(response):
        assert response.content.count(b"data-stack-count") > 0

    shown = Asset.objects.filter(covered_by__isnull=True).order_by("-taken_at", "-id")
    deep = shown.values_list("taken_at", "id")[9_999]
    pages = {
        "API first page": (user_client, "/api/assets/?ordering=-taken_at", api_page),
        "API 10,000 rows deep": (user_client, f"/api/assets/?ordering=-taken_at&cursor={encode_cursor(*deep)}", api_page),
        "Photos page (HTML)": (client, "/", html_page),
    }
    for name, (who, url, check) in pages.items():
        p50, p95 = timed(who, url, check)
        print(f"{name:>22}: p50 {p50:.1f} ms  p95 {p95:.1f} ms")
