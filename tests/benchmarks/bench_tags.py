"""Tag search at 1,000,000 assets: `tags_all=a,b&tags_none=c` through the asset FilterSet, on
/api/assets/ (the timeline's order) and /api/search/ (the search service), plus a rare tag.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_tags.py -s
Prints p50/p95 of each request and the p50 of its SQL (goal: p50 < 100 ms). BENCH_ASSETS changes
the row count, BENCH_EXPLAIN=1 prints the plan of each request's slowest statement.

The distribution: 600 tags of one user (Places/<country>/<city>, People/<name>, Events/<n>...),
each photo drawing 3 times with a 70 % chance each from a skewed (cubic) popularity, as real
keywording is: a few tags are on a quarter of the library, most on a few hundred photos. About
2.1 million links.
"""

import os
import time

import pytest
from django.db import connection

from apps.tags.models import AssetTag, AssetTagSet, Tag
from tests.benchmarks.bench_explore import REPEATS, bulk_insert, explain, timed
from tests.factories import LibraryFactory

ROWS = int(os.environ.get("BENCH_ASSETS", 1_000_000))
TAGS = 600

pytestmark = pytest.mark.django_db(transaction=True)


def make_tags(user) -> list[Tag]:
    paths = [f"Places/Country {n // 20}/City {n}" for n in range(200)]
    paths += [f"People/Person {n}" for n in range(200)] + [f"Events/Event {n}" for n in range(200)]
    order = [paths[(n * 7) % len(paths)] for n in range(len(paths))]  # popularity not by family
    tags = Tag.objects.bulk_create([Tag(owner=user, path=p, key=p.casefold()) for p in order])
    return tags


def link(tags, library_id):
    first = tags[0].pk  # bulk_create gave consecutive ids in insertion order
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AssetTag._meta.db_table} (asset_id, tag_id, created) "
            f"SELECT a.id, %s + floor(%s * power(random(), 3))::int, now() "
            f"FROM assets_asset a CROSS JOIN generate_series(1, 3) draw "
            f"WHERE a.library_id = %s AND random() < 0.7 ON CONFLICT DO NOTHING",
            [first, len(tags), library_id])
        cursor.execute(f"VACUUM ANALYZE {AssetTag._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {Tag._meta.db_table}")
        # the tag arrays the triggers filled (autovacuum's job in a running library: it also
        # moves the GIN index's pending list, where a bulk insert lands, into the index proper)
        cursor.execute(f"VACUUM ANALYZE {AssetTagSet._meta.db_table}")


def count(tag) -> int:
    return AssetTag.objects.filter(tag=tag).count()


def test_three_tag_and_not_query_at_a_million_assets(user_client, user):
    library = LibraryFactory(owner=user)
    start = time.perf_counter()
    bulk_insert(library.id, ROWS)
    tags = make_tags(user)
    link(tags, library.id)
    links = AssetTag.objects.count()
    print(f"\ninserted {ROWS:,} assets, {len(tags)} tags, {links:,} links in {time.perf_counter() - start:.1f} s")
    common, other, middle, rare = tags[0], tags[1], tags[3], tags[400]
    for tag in (common, other, middle, rare):
        print(f"  {tag.path}: {count(tag):,} photos")
    with os.popen("cat /proc/loadavg") as load:
        print(f"  load average: {load.read().strip()}")

    def q(tags_all, tags_none):
        return f"tags_all={','.join(t.path for t in tags_all)}&tags_none={','.join(t.path for t in tags_none)}"

    cases = [
        ("assets: common AND middle NOT other", f"/api/assets/?{q([common, middle], [other])}"),
        ("search: common AND middle NOT other", f"/api/search/?{q([common, middle], [other])}"),
        ("assets: common AND rare NOT other", f"/api/assets/?{q([common, rare], [other])}"),
        ("search: common AND rare NOT other", f"/api/search/?{q([common, rare], [other])}"),
        ("assets: parent Places AND middle NOT other",
         f"/api/assets/?tags_all=Places,{middle.path}&tags_none={other.path}"),
        ("floor: the caller's own account", "/api/auth/me"),
    ]
    for name, url in cases:
        if os.environ.get("BENCH_EXPLAIN"):
            explain(user_client, url)
        p50, p95, sql = timed(user_client, url, lambda body: True)
        print(f"{name:>44}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  SQL p50 {sql:6.1f} ms  ({REPEATS} runs, goal p50 < 100 ms)")
