"""Timeline API at 1,000,000 assets: first page and a page 10,000 rows deep.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_timeline.py -s
Prints p50/p95 of `GET /api/assets/?ordering=-taken_at` for both pages.
Set BENCH_ASSETS to change the row count.
"""

import os
import statistics
import time

import pytest
from django.db import connection, models

from apps.assets.models import Asset
from apps.core.keyset import encode_cursor
from tests.factories import LibraryFactory

ROWS = int(os.environ.get("BENCH_ASSETS", 1_000_000))
REPEATS = 60

pytestmark = pytest.mark.django_db


def column_expression(field, library_id):
    """SQL for one column of a synthetic row numbered `n`."""
    special = {
        "id": "gen_random_uuid()",
        "library_id": str(library_id),
        "path": "'y' || (n %% 20) || '/IMG_' || n || '.jpg'",
        "filename": "'IMG_' || n || '.jpg'",
        "kind": "'photo'",
        "status": "'ready'",
        "size": "1000000 + (n * 7919) %% 5000000",
        # Spread over ~20 years, with duplicates (bursts) so the id tie-break matters.
        "taken_at": "timestamptz '2005-01-01' + ((n * 631) %% 630720000 / 1) * interval '1 second'",
        "mtime": "now()",
        "created": "now()",
        "updated": "now()",
        "camera_make": "(ARRAY['Canon','Nikon','Apple','Sony'])[1 + n %% 4]",
    }
    if field.column in special:
        return special[field.column]
    if field.null:
        return "NULL"
    if isinstance(field, (models.CharField, models.TextField)):
        return "''"
    if isinstance(field, models.BooleanField):
        return "false"
    return "0"


def bulk_insert(library_id, rows):
    fields = [f for f in Asset._meta.concrete_fields if not f.generated]
    columns = ", ".join(f.column for f in fields)
    values = ", ".join(column_expression(f, library_id) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {Asset._meta.db_table} ({columns}) SELECT {values} FROM generate_series(1::bigint, %s) n", [rows])
        cursor.execute(f"ANALYZE {Asset._meta.db_table}")


def timed(client, url):
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and len(response.json()["results"]) == 100
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def test_timeline_pages_at_a_million_assets(user_client, user):
    library = LibraryFactory(owner=user)
    start = time.perf_counter()
    bulk_insert(library.id, ROWS)
    print(f"\ninserted {ROWS:,} assets in {time.perf_counter() - start:.1f} s")

    deep = Asset.objects.order_by("-taken_at", "-id").values_list("taken_at", "id")[9_999]
    pages = {
        "first page": "/api/assets/?ordering=-taken_at",
        "10,000 rows deep": f"/api/assets/?ordering=-taken_at&cursor={encode_cursor(*deep)}",
    }
    for name, url in pages.items():
        p50, p95 = timed(user_client, url)
        print(f"{name:>18}: p50 {p50:.1f} ms  p95 {p95:.1f} ms  (goal: median < 50 ms)")
