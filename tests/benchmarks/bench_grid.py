"""The photo grid and the camera-setting filters at 1,000,000 assets.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_grid.py -s
Prints p50/p95 of the Photos page's first page (the HTML the justified or square grid is built
from: the whole page, and the htmx page of tiles), and of `/api/assets/` with each range filter,
from unselective (half the library) to rare (a few hundred rows), with the SQL's share. Set
BENCH_ASSETS to change the row count, BENCH_EXPLAIN=1 to print the plan of each slowest statement,
BENCH_ONLY_GRID=1 to time the pages alone (what can be measured on a tree without the filters).
"""

import os
import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.assets.models import Asset
from tests.benchmarks.bench_timeline import column_expression
from tests.factories import LibraryFactory

ROWS = int(os.environ.get("BENCH_ASSETS", 1_000_000))
REPEATS = int(os.environ.get("BENCH_REPEATS", 20))

pytestmark = pytest.mark.django_db(transaction=True)

# Camera settings spread as in a real library: most photos at low ISO, mid apertures and fast
# shutters; a few hundred at the extremes (ISO 25,600, f/22, 30 s, 600 mm), which is where an
# index matters. Photos are 3:2 landscape, one in four portrait, one in fifty square; one in ten a RAW.
SPECIAL = {
    "iso": "CASE WHEN n %% 2500 = 0 THEN 25600 ELSE (ARRAY[100,100,200,400,800,1600])[1 + n %% 6] END",
    "f_number": "CASE WHEN n %% 2500 = 1 THEN 22 ELSE (ARRAY[1.8,2.8,4,5.6,8])[1 + n %% 5] END",
    "exposure_time": "CASE WHEN n %% 2500 = 2 THEN 30 ELSE 1.0 / (ARRAY[60,125,250,500,1000])[1 + n %% 5] END",
    "focal_length": "CASE WHEN n %% 2500 = 3 THEN 600 ELSE (ARRAY[24,35,50,85])[1 + n %% 4] END",
    "focal_length_35mm": "CASE WHEN n %% 2500 = 3 THEN 900 ELSE (ARRAY[24,35,50,85])[1 + n %% 4] * 1.5 END",
    "width": "CASE WHEN n %% 50 = 0 THEN 3000 WHEN n %% 4 = 0 THEN 4000 ELSE 6000 END",
    "height": "CASE WHEN n %% 50 = 0 THEN 3000 WHEN n %% 4 = 0 THEN 6000 ELSE 4000 END",
    "mime": "CASE WHEN n %% 10 = 0 THEN 'image/x-sony-arw' ELSE 'image/jpeg' END",
}

FILTERS = [
    ("ISO >= 800 (a third)", "iso_min=800"),
    ("ISO >= 25600 (rare)", "iso_min=25600"),
    ("f/1.8-f/2.8 (two fifths)", "aperture_min=1.8&aperture_max=2.8"),
    ("f/22 and narrower (rare)", "aperture_min=22"),
    ("shutter 1/250 or faster", "shutter_max=1/250"),
    ("shutter 30 s (rare)", "shutter_min=30"),
    ("focal 50-85 mm", "focal_length_min=50&focal_length_max=85"),
    ("focal >= 600 mm (rare)", "focal_length_min=600"),
    ("35 mm equivalent >= 900 (rare)", "focal_length_35mm_min=900"),
    ("RAW (a tenth)", "raw=true"),
    ("square (a fiftieth)", "orientation=square"),
    ("portrait", "orientation=portrait"),
    ("combined: RAW, ISO >= 800, f/1.8-2.8", "raw=true&iso_min=800&aperture_max=2.8"),
]


def flag_some(user):
    """One photo in ten with the caller's flags (a favourite, a rating, a few rejected), as a curated
    library has: the grid leaves the rejected out and badges the rest."""
    from apps.assets.models import AssetUserState

    table = AssetUserState._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (user_id, asset_id, favorite, rating, rejected, updated) "
                       f"SELECT %s, id, (hashtext(id::text) %% 3 = 0), abs(hashtext(id::text)) %% 6, "
                       f"(hashtext(id::text) %% 50 = 0), now() FROM {Asset._meta.db_table} "
                       f"WHERE abs(hashtext(id::text)) %% 10 = 0", [user.pk])
        cursor.execute(f"VACUUM ANALYZE {table}")


def bulk_insert(library_id, rows):
    fields = [f for f in Asset._meta.concrete_fields if not f.generated]
    columns = ", ".join(f.column for f in fields)
    values = ", ".join(SPECIAL.get(f.column) or column_expression(f, library_id) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {Asset._meta.db_table} ({columns}) SELECT {values} "
                       "FROM generate_series(1::bigint, %s) n", [rows])
        cursor.execute(f"VACUUM ANALYZE {Asset._meta.db_table}")


def timed(client, url):
    samples, sql = [], []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        assert response.status_code == 200, response.content[:300]
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], statistics.median(sql)


def explain(client, url):
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest['sql']}")
        print("\n".join(row[0] for row in cursor.fetchall()))


def report(client, name, url):
    if os.environ.get("BENCH_EXPLAIN"):
        explain(client, url)
    p50, p95, sql = timed(client, url)
    print(f"{name:>44}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  SQL p50 {sql:6.1f} ms")


def first_page_sql(user, with_states: bool):
    """The Photos grid's first page as the view reads it, with or without the caller's flags joined
    (the badges' favourite and rating)."""
    from django.http import QueryDict

    from apps.assets.filters import AssetFilter
    from apps.assets.user_state import with_user_state
    from apps.core import keyset

    assets = AssetFilter(QueryDict("rejected=false"), queryset=Asset.objects.visible_to(user).alive(), user=user).qs
    if with_states:
        assets = with_user_state(assets, user)
    with CaptureQueriesContext(connection) as queries:
        keyset.timeline_page(assets.select_related("library"), None, 120)
    return queries.captured_queries[-1]["sql"]


def compare_first_page_sql(user):
    """The page's statement with and without the flags, run alternately in the same database so the
    machine's load falls on both alike: EXPLAIN ANALYZE's execution time, median of REPEATS."""
    timings = {False: [], True: []}
    with connection.cursor() as cursor:
        for _ in range(REPEATS):
            for joined in (False, True):
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {first_page_sql(user, joined)}")
                timings[joined].append(cursor.fetchone()[0][0]["Execution Time"])
    for joined, label in ((False, "without the flags (before)"), (True, "with the flags joined (badges)")):
        print(f"{'Photos first page SQL ' + label:>60}: p50 {statistics.median(timings[joined]):6.2f} ms")


def test_grid_and_filters_at_a_million_assets(user):
    library = LibraryFactory(owner=user)
    start = time.perf_counter()
    bulk_insert(library.id, ROWS)
    flag_some(user)
    print(f"\ninserted {ROWS:,} assets in {time.perf_counter() - start:.1f} s")
    compare_first_page_sql(user)
    page = Client()
    page.force_login(user)
    report(page, "Photos page, first page (full HTML)", "/")
    htmx = Client(headers={"HX-Request": "true"})
    htmx.force_login(user)
    report(htmx, "Photos grid, first page (htmx tiles)", "/?cursor=")
    if os.environ.get("BENCH_ONLY_GRID"):
        return
    for name, query in FILTERS:
        report(page, f"API {name}", f"/api/assets/?{query}")
