"""Text search API at 1,000,000 assets: p50/p95 of `GET /api/search/` for rare, common and combined words.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_search.py -s
Set BENCH_ASSETS to change the row count, BENCH_EXPLAIN=1 to print each query's plan (EXPLAIN ANALYZE).
Documents are built in SQL (the synthetic names are ASCII, so SQL lower() and a split on
non-alphanumerics equal the Python folding the stage does).
"""

import os
import statistics
import time

import pytest
from django.db import connection
from django.http import QueryDict

from apps.assets.models import AssetUserState
from apps.assets.user_state import with_user_state
from apps.core import keyset
from apps.search import services
from apps.search.models import AssetSearch
from tests.benchmarks.bench_timeline import bulk_insert
from tests.factories import LibraryFactory

ROWS = int(os.environ.get("BENCH_ASSETS", 1_000_000))
REPEATS = 40
CITIES = ["Paris", "Zurich", "Berlin", "London", "Tokyo", "Lisbon", "Oslo", "Rome", "Vienna", "Prague",
          "Madrid", "Dublin", "Athens", "Warsaw", "Boston", "Denver", "Sydney", "Nairobi", "Lima", "Quito"]
QUERIES = {
    "rare number (4120)": {"q": "4120"},
    "one file (IMG_123456)": {"q": "IMG_123456"},
    "prefix, 5% of rows (zur)": {"q": "zur"},
    "two words, 1.25% (canon paris)": {"q": "canon paris"},
    "word + kind + date filter": {"q": "berlin", "kind": "photo", "taken_after": "2015-01-01T00:00:00Z"},
    "filename substring scan (_41205)": {"filename": "_41205"},
}
# Measured after the classes above, once 10 % of the assets carry the user's favourite/rating flags.
PERSONAL_QUERIES = {
    "word + favourites (berlin, 10% fav.)": {"q": "berlin", "favorite": "true"},
    "favourites only (no words)": {"favorite": "true"},
    "word + rating >= 4 (paris)": {"q": "paris", "rating": "4"},
}

pytestmark = pytest.mark.django_db


def build_documents():
    cities = "ARRAY[" + ",".join(f"'{c}'" for c in CITIES) + "]"
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {AssetSearch._meta.db_table} (asset_id, document, city, region, country, country_code, updated)
            SELECT id,
                   setweight(to_tsvector('simple', regexp_replace(lower(filename || ' ' || path), '[^a-z0-9]+', ' ', 'g')), 'A')
                   || setweight(to_tsvector('simple', lower(camera_make)), 'B')
                   || setweight(to_tsvector('simple', lower(c.city)), 'C'),
                   c.city, '', '', '', now()
            FROM (SELECT id, filename, path, camera_make,
                         ({cities})[1 + (substring(filename from '[0-9]+')::bigint / 7) % {len(CITIES)}] AS city
                  FROM assets_asset) c  -- n / 7: cities independent of the camera (n % 4)
        """)
        cursor.execute(f"ANALYZE {AssetSearch._meta.db_table}")


def flag_favourites(user):
    """Every tenth asset a favourite with 5 stars, every other tenth 3 stars."""
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {AssetUserState._meta.db_table} (user_id, asset_id, favorite, rating, rejected, updated)
            SELECT %s, id, n %% 10 = 0, CASE WHEN n %% 10 = 0 THEN 5 ELSE 3 END, false, now()
            FROM (SELECT id, substring(filename from '[0-9]+')::bigint AS n FROM assets_asset) a
            WHERE n %% 10 IN (0, 5)
        """, [user.pk])
        cursor.execute(f"ANALYZE {AssetUserState._meta.db_table}")


def explain(user, params):
    data = QueryDict(mutable=True)
    data.update(params)
    assets = keyset.ordered(with_user_state(services.search(user, data), user), "score", True)[:101]
    print(assets.explain(analyze=True, buffers=True))


def timed(client, params):
    samples, count = [], 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get("/api/search/", {**params, "page_size": 100})
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content
        count = len(response.json()["results"])
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], count


def test_text_search_at_a_million_assets(user_client, user):
    library = LibraryFactory(owner=user)
    start = time.perf_counter()
    bulk_insert(library.id, ROWS)
    print(f"\ninserted {ROWS:,} assets in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    build_documents()
    print(f"built {ROWS:,} search documents (GIN index) in {time.perf_counter() - start:.1f} s")
    measure(user_client, user, QUERIES)
    flag_favourites(user)
    measure(user_client, user, PERSONAL_QUERIES)


def measure(client, user, queries):
    for name, params in queries.items():
        p50, p95, count = timed(client, params)
        print(f"{name:36s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({count} results on the first page)")
        if os.environ.get("BENCH_EXPLAIN"):
            explain(user, params)
