"""Schemathesis at length over every API operation, as the superadmin and as a plain user.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_schemathesis.py -s
Prints operations, cases, statuses, distinct failures (5xx, response not matching the schema) with a
request to reproduce each, and the wall time. BENCH_EXAMPLES (default 60) sets the examples per
operation, mode and user; BENCH_ONLY="GET /api/assets/" limits it to matching operations;
BENCH_RANDOM=1 draws new cases instead of the same reproducible ones.
"""

import os

import pytest

from tests.core.fuzz import fuzz, seed, token_headers, without_clip

EXAMPLES = int(os.environ.get("BENCH_EXAMPLES", 60))
ONLY = os.environ.get("BENCH_ONLY") or None
RANDOM = os.environ.get("BENCH_RANDOM", "") not in ("", "0")


@pytest.mark.django_db
def test_schemathesis_at_length(user, other_user, superuser, tmp_path, settings, monkeypatch):
    without_clip(settings, monkeypatch)
    ids = seed(tmp_path / "library", user, other_user, superuser)
    users = {"superadmin": token_headers(superuser), "user": token_headers(user)}

    report = fuzz(users, ids, max_examples=EXAMPLES, only=ONLY, derandomize=not RANDOM)

    print(f"\nschemathesis, {EXAMPLES} examples per operation/mode/user:\n{report.summary()}")
    assert not report.findings
