"""The Trash at 100,000 trashed assets: the page (HTML, 120 tiles) and the API's first page, and an
API page 50,000 deep. Alice also has 100,000 photos outside the trash and Bob 50,000 in his own
trash, so the visibility and trash filters both have work to do.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_trash.py -s
Goal (issue 14): the Trash page under 100 ms p50. BENCH_TRASHED changes the size.
"""

import os
import statistics
import time

import pytest
from django.db import connection

from apps.assets.models import Asset
from apps.core.keyset import encode_cursor
from tests.benchmarks.bench_timeline import bulk_insert
from tests.factories import LibraryFactory

TRASHED = int(os.environ.get("BENCH_TRASHED", 100_000))
REPEATS = 40

pytestmark = pytest.mark.django_db


def trash_library(library_id):
    """Everything of the library into the trash, deleted over the last 29 days (setup, not measured)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Asset._meta.db_table} SET deleted_at = now() - (random() * interval '29 days') "
            "WHERE library_id = %s",
            [library_id],
        )
        cursor.execute(f"ANALYZE {Asset._meta.db_table}")


def timed(client, url, check) -> tuple[float, float]:
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        check(response)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def test_the_trash_at_a_hundred_thousand_trashed_assets(user, other_user, client, user_client):
    start = time.perf_counter()
    trashed, alive, bobs = LibraryFactory(owner=user), LibraryFactory(owner=user), LibraryFactory(owner=other_user)
    bulk_insert(trashed.id, TRASHED)
    trash_library(trashed.id)
    bulk_insert(alive.id, TRASHED)
    bulk_insert(bobs.id, TRASHED // 2)
    trash_library(bobs.id)
    print(f"\ninserted {TRASHED:,} trashed, {TRASHED:,} alive and {TRASHED // 2:,} of Bob's trashed "
          f"in {time.perf_counter() - start:.1f} s")

    client.force_login(user)
    deep = (
        Asset.objects.filter(library=trashed).order_by("-deleted_at", "-id").values_list("deleted_at", "id")[TRASHED // 2]
    )

    def api_page(response):
        assert len(response.json()["results"]) == 100

    def html_page(response):
        assert response.content.count(b'class="tile ') == 120

    cases = {
        "Trash page (HTML, 120 tiles)": (client, "/trash/", html_page),
        "GET /api/trash/ first page": (user_client, "/api/trash/", api_page),
        f"GET /api/trash/ {TRASHED // 2:,} deep": (user_client, f"/api/trash/?cursor={encode_cursor(*deep)}", api_page),
    }
    for name, (who, url, check) in cases.items():
        p50, p95 = timed(who, url, check)
        print(f"{name:>32}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  (goal: p50 < 100 ms)")
