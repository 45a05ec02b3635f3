"""Stats reads at 1,000,000 assets over five libraries: every /api/stats/ endpoint and the Stats
page, as a user with three libraries and an album shared from another user's library, as that
other user, and as the superadmin (everything).

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_stats.py -s
Prints p50/p95 of each request (goal: p50 < 500 ms) and the p50 of its SQL; the first read after a
burst of ingest-like updates (the deltas unfolded, so that read also folds them); and what the
statement triggers cost a write: 100,000 rows inserted 1,000 per statement with and without them.
BENCH_ASSETS changes the row count, BENCH_REPEATS the samples per endpoint.
"""

import os
import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.albums import services as albums
from apps.albums.models import AlbumMember, Role
from apps.assets.models import Asset
from apps.stats.models import StatDelta
from tests.benchmarks.bench_timeline import column_expression
from tests.factories import LibraryFactory

ROWS = int(os.environ.get("BENCH_ASSETS", 1_000_000))
REPEATS = int(os.environ.get("BENCH_REPEATS", 20))
SHARED = 5_000  # photos of Bob's in an album shared with Alice
SPLIT = {"alice": [0.30, 0.25, 0.15], "bob": [0.20, 0.10]}

pytestmark = pytest.mark.django_db(transaction=True)


def pick(values, salt):
    """One of `values` for row n, spread by a hash (SQL literal array)."""
    items = ", ".join(repr(v) if not isinstance(v, str) else f"'{v}'" for v in values)
    return f"(ARRAY[{items}])[1 + abs(hashtext('{salt}' || n)) %% {len(values)}]"


CAMERAS = [("Canon", "Canon EOS R5"), ("Canon", "Canon EOS 5D Mark IV"), ("NIKON CORPORATION", "NIKON Z 6"),
           ("NIKON CORPORATION", "NIKON D750"), ("SONY", "ILCE-7M3"), ("SONY", "ILCE-7RM4"), ("FUJIFILM", "X-T4"),
           ("Apple", "iPhone 15 Pro"), ("Apple", "iPhone 12"), ("samsung", "SM-S918B"), ("Google", "Pixel 8"),
           ("OLYMPUS CORPORATION", "E-M1MarkIII")]
LENSES = ["24-70mm F2.8", "50mm F1.8", "70-200mm F4", "16-35mm F4", "85mm F1.4", "100-400mm F5.6"]
SPECIAL = {
    "kind": "CASE WHEN n %% 10 = 0 THEN 'video' ELSE 'photo' END",
    "mime": "CASE WHEN n %% 10 = 0 THEN 'video/mp4' WHEN n %% 10 < 4 THEN 'image/heic' "
            "WHEN n %% 10 = 4 THEN 'image/x-sony-arw' ELSE 'image/jpeg' END",
    "camera_make": f"(ARRAY[{', '.join(repr(m) for m, _ in CAMERAS)}])[1 + abs(hashtext('c' || n)) %% {len(CAMERAS)}]",
    "camera_model": f"(ARRAY[{', '.join(repr(m) for _, m in CAMERAS)}])[1 + abs(hashtext('c' || n)) %% {len(CAMERAS)}]",
    "lens": f"CASE WHEN abs(hashtext('c' || n)) %% {len(CAMERAS)} >= 7 THEN '' ELSE {pick(LENSES, 'l')} END",
    "iso": pick([100, 100, 100, 125, 160, 200, 200, 400, 640, 800, 1600, 3200, 6400, 12800], "i"),
    "f_number": pick([1.4, 1.8, 2.0, 2.8, 2.8, 4.0, 5.6, 8.0, 11.0, 16.0], "f"),
    "exposure_time": pick([1 / 4000, 1 / 1000, 1 / 500, 1 / 250, 1 / 125, 1 / 125, 1 / 60, 1 / 30, 1 / 8, 0.5, 2.0], "e"),
    "focal_length": pick([4.2, 6.9, 16.0, 24.0, 35.0, 50.0, 50.0, 85.0, 135.0, 200.0, 400.0], "m"),
    "taken_at_offset": pick([0, 60, 120, -300, 540], "o"),
    "derivatives_size": "60000 + n %% 50000",
    "deleted_at": "CASE WHEN n %% 100 = 7 THEN now() END",
}


def bulk_insert(library_id, rows, first=1, cursor=None):
    fields = [f for f in Asset._meta.concrete_fields if not f.generated]
    columns = ", ".join(f.column for f in fields)
    expressions = {f.column: SPECIAL.get(f.column) or column_expression(f, library_id) for f in fields}
    # 2% undated; the path numbered from `first` so repeated inserts into one library stay unique.
    expressions["taken_at"] = f"CASE WHEN n %% 50 = 3 THEN NULL ELSE {expressions['taken_at']} END"
    values = ", ".join(expressions[f.column] for f in fields)
    sql = (f"INSERT INTO {Asset._meta.db_table} ({columns}) SELECT {values} "
           "FROM generate_series(%s::bigint, %s) n")
    if cursor is not None:
        cursor.execute(sql, [first, first + rows - 1])
        return
    with connection.cursor() as own:
        own.execute(sql, [first, first + rows - 1])


def timed(client, url):
    samples, sql = [], []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:300]
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)], statistics.median(sql)


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def write_cost(library_id) -> tuple[float, float]:
    """Seconds to insert 50,000 rows 1,000 per statement, with the stats triggers and without."""
    table = Asset._meta.db_table
    times = []
    for enabled, first in ((True, 10_000_001), (False, 20_000_001)):
        with connection.cursor() as cursor:
            for name in ("stats_assets_inserted",):
                cursor.execute(f"ALTER TABLE {table} {'ENABLE' if enabled else 'DISABLE'} TRIGGER {name}")
            start = time.perf_counter()
            for batch in range(50):
                bulk_insert(library_id, 1000, first + batch * 1000, cursor)
            times.append(time.perf_counter() - start)
            cursor.execute(f"DELETE FROM {table} WHERE library_id = %s AND path LIKE 'y%%' AND "
                           "filename ~ '^IMG_[12][0-9]{7}'", [library_id])
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER stats_assets_inserted")
    return times[0], times[1]


def test_stats_reads_at_a_million_assets(user, other_user, superuser):
    print(f"\nload average before: {os.getloadavg()}")
    start = time.perf_counter()
    owners = {"alice": user, "bob": other_user}
    libraries = {name: [] for name in owners}
    for name, shares in SPLIT.items():
        for share in shares:
            library = LibraryFactory(owner=owners[name])
            bulk_insert(library.id, int(ROWS * share))
            libraries[name].append(library)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Asset._meta.db_table}")
    print(f"inserted {Asset.objects.count():,} assets in {time.perf_counter() - start:.1f} s, "
          f"{StatDelta.objects.count():,} delta rows")

    album = albums.create_album(other_user, "Shared with Alice")
    ids = list(Asset.objects.filter(library=libraries["bob"][0]).values_list("pk", flat=True)[:SHARED])
    for chunk in range(0, len(ids), 1000):
        albums.add_items(other_user, album, ids[chunk:chunk + 1000])
    AlbumMember.objects.create(album=album, user=user, role=Role.VIEWER)

    callers = {"alice (3 libraries + shared album)": user, "bob (2 libraries)": other_user, "superadmin (all)": superuser}
    urls = ["/api/stats/overview/", "/api/stats/activity/", "/api/stats/calendar/?year=2015",
            "/api/stats/gear/", "/api/stats/exposure/", "/stats/"]
    for label, caller in callers.items():
        client = client_of(caller)
        print(f"-- {label}")
        for url in urls:
            p50, p95, sql = timed(client, url)
            verdict = "" if url == "/stats/" else ("ok" if p50 < 500 else "OVER GOAL")
            print(f"{url:>34}: p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  SQL p50 {sql:7.1f} ms  {verdict}")

    # Ingest-like churn: 5,000 single-row metadata updates append their deltas unfolded.
    victims = list(Asset.objects.filter(library=libraries["alice"][0]).values_list("pk", flat=True)[:5_000])
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for n, pk in enumerate(victims):
            cursor.execute(f"UPDATE {Asset._meta.db_table} SET iso = %s, taken_at = taken_at + interval '1 day' "
                           "WHERE id = %s", [100 + n % 3000, pk])
    churn = time.perf_counter() - start
    print(f"5,000 one-row updates in {churn:.1f} s ({churn / 5:.2f} ms each); "
          f"{StatDelta.objects.count():,} delta rows before the next read")
    client = client_of(user)
    start = time.perf_counter()
    assert client.get("/api/stats/exposure/").status_code == 200
    print(f"first read after the churn (folds alice's deltas): {(time.perf_counter() - start) * 1000:.0f} ms; "
          f"{StatDelta.objects.count():,} delta rows after")

    with_triggers, without = write_cost(libraries["bob"][1].id)
    print(f"50,000 inserts, 1,000 per statement: {with_triggers:.1f} s with the stats trigger, "
          f"{without:.1f} s without ({(with_triggers / without - 1) * 100:+.0f}%)")
    print(f"load average after: {os.getloadavg()}")
