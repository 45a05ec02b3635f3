"""Map points at 1,000,000 assets of which 400,000 have GPS: the whole world (clustered by the
database) and a city-sized box, through GET /api/map/points/ as the Map page asks.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_map.py -s
Prints p50/p95 of each, the plan of the whole-world query, and what trips cost (first and cached).
Set BENCH_ASSETS to change the row count (40% get GPS).
"""

import os
import statistics
import time

import pytest
from django.core.cache import cache
from django.db import connection

from apps.assets.models import Asset
from apps.places import points, services
from tests.benchmarks.bench_timeline import column_expression
from tests.factories import LibraryFactory

ROWS = int(os.environ.get("BENCH_ASSETS", 1_000_000))
REPEATS = 30

# Committed rows (flushed after): VACUUM cannot run inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

# 50 towns photographed most, the rest of the located photos anywhere on land or sea: a family's
# library is dense around a few places, and the map must still cover the world.
TOWNS = 50
GPS = {
    # 2 of every 5 rows: 400,000 at a million.
    "latitude": "CASE WHEN n %% 5 < 2 THEN CASE WHEN n %% 10 = 0 THEN ((n * 7919) %% 160000) / 1000.0 - 80 "
                "ELSE 35 + (n / 5 %% 50) * 0.4 + ((n * 104729) %% 1000) / 4000.0 END END",
    "longitude": "CASE WHEN n %% 5 < 2 THEN CASE WHEN n %% 10 = 0 THEN ((n * 6361) %% 360000) / 1000.0 - 180 "
                 "ELSE -10 + (n / 5 %% 50) * 0.9 + ((n * 15485863) %% 1000) / 4000.0 END END",
}


def bulk_insert(library_id, rows):
    fields = [f for f in Asset._meta.concrete_fields if not f.generated]  # PostgreSQL computes those
    columns = ", ".join(f.column for f in fields)
    values = ", ".join(GPS.get(f.column) or column_expression(f, library_id) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {Asset._meta.db_table} ({columns}) "
                       f"SELECT {values} FROM generate_series(1::bigint, %s) n", [rows])
        # VACUUM sets the visibility map that lets the map's covering index answer alone (an
        # index-only scan), as autovacuum does on a live database after a scan.
        cursor.execute(f"VACUUM (ANALYZE) {Asset._meta.db_table}")


def timed(client, url, check):
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:300]
        check(response.json())
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def test_map_points_at_a_million_assets(user_client, user):
    library = LibraryFactory(owner=user)
    start = time.perf_counter()
    bulk_insert(library.id, ROWS)
    located = Asset.objects.filter(latitude__isnull=False).count()
    print(f"\ninserted {ROWS:,} assets ({located:,} with GPS) in {time.perf_counter() - start:.1f} s")

    # The Map page's first request: the world at zoom 2, clustered in the database.
    def world(body):
        assert body["clustered"] and body["total"] == located

    # A town of the 50 (~0.25 x 0.25 degrees, 8,000 photos) at the zoom a phone shows it.
    def town(body):
        assert body["total"] > 2000

    cases = {
        "whole world (zoom 2)": ("/api/map/points/?zoom=2", world, 300),
        "whole world, no zoom": ("/api/map/points/", world, 300),
        "city bbox (zoom 12)": ("/api/map/points/?zoom=12&bbox=-10,35,-9.75,35.25", town, 100),
        "city bbox, favourites": ("/api/map/points/?zoom=12&bbox=-10,35,-9.75,35.25&favorite=true",
                                  lambda body: None, 100),
    }
    for name, (url, check, goal) in cases.items():
        p50, p95 = timed(user_client, url, check)
        print(f"{name:>24}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  (goal: median < {goal} ms)")

    assets = services.visible(user).filter(latitude__isnull=False, longitude__isnull=False).order_by()
    sql, params = assets.values("id", "latitude", "longitude").query.sql_with_params()
    cell = points.cell_for_zoom(2)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + points.CLUSTER_SQL.format(inner=sql), [cell, cell, *params])
        print("\n".join(row[0] for row in cursor.fetchall()))

    start = time.perf_counter()
    services._fingerprint(assets.filter(taken_at__isnull=False))
    print(f"trips cache key (fingerprint of the visible GPS set): {1000 * (time.perf_counter() - start):.0f} ms")
    cache.clear()
    start = time.perf_counter()
    found = services.trips(user)
    first = time.perf_counter() - start
    start = time.perf_counter()
    services.trips(user)
    print(f"trips: {len(found)} found in {first:.1f} s on demand; cached answer {1000 * (time.perf_counter() - start):.0f} ms")
