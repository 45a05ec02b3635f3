"""Metadata edits on a selection: shifting the dates of 1,000 photos (one UPDATE, one run of the
timeline's statement triggers, the search documents written again) in a library of BENCH_ASSETS rows.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_edits.py -s
Prints the p50/max of POST /api/assets/edit/ for 1,000 ids and of one photo's edit (goal: a
1,000-photo shift under 2 s, one edit under 100 ms), and that the month counts moved.
"""

import os
import statistics
import time

import pytest

from apps.assets.models import Asset
from tests.benchmarks.bench_explore import bulk_insert

ROWS = int(os.environ.get("BENCH_ASSETS", 100_000))
SELECTION = 1000
REPEATS = int(os.environ.get("BENCH_REPEATS", 5))

pytestmark = pytest.mark.django_db(transaction=True)


def test_shift_a_thousand_photos(user, user_client, library):
    bulk_insert(library.pk, ROWS)
    ids = [str(pk) for pk in Asset.objects.filter(library=library).order_by("pk").values_list("pk", flat=True)[:SELECTION]]
    batch, one = [], []
    for n in range(REPEATS):
        started = time.perf_counter()
        answer = user_client.post("/api/assets/edit/", {"ids": ids, "shift_seconds": 3600 * (1 if n % 2 else -1)},
                                  format="json")
        batch.append(time.perf_counter() - started)
        assert answer.status_code == 200 and answer.json() == {"updated": SELECTION}, answer.content[:300]
        started = time.perf_counter()
        answer = user_client.post(f"/api/assets/{ids[n]}/edit/", {"title": f"Edited {n}"}, format="json")
        one.append(time.perf_counter() - started)
        assert answer.status_code == 200
    counts = sum(b["count"] for b in user_client.get("/api/timeline/buckets/").json())
    assert counts == Asset.objects.filter(library=library, taken_at__isnull=False).count()
    print(f"\n{ROWS:,} assets: shift {SELECTION:,} photos p50 {statistics.median(batch) * 1000:.0f} ms "
          f"(max {max(batch) * 1000:.0f} ms); one photo's title p50 {statistics.median(one) * 1000:.0f} ms "
          f"(max {max(one) * 1000:.0f} ms); month counts still match the rows")
