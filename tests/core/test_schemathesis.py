"""Schemathesis over the OpenAPI schema, as the superadmin and as a plain user: no 5xx, and every
documented response matches its schema. A small, reproducible run (about two minutes); the long one
is tests/benchmarks/bench_schemathesis.py."""

import pytest

from .fuzz import fuzz, seed, token_headers, without_clip

MAX_EXAMPLES = 5  # per operation, generation mode and user: about 2,300 requests over 130 operations


@pytest.mark.django_db
def test_no_operation_answers_5xx_or_breaks_its_schema(
    user, other_user, superuser, tmp_path, settings, monkeypatch
):
    without_clip(settings, monkeypatch)
    ids = seed(tmp_path / "library", user, other_user, superuser)
    users = {"superadmin": token_headers(superuser), "user": token_headers(user)}

    report = fuzz(users, ids, max_examples=MAX_EXAMPLES)

    print(report.summary())
    assert report.operations >= 60 and report.cases > 1000
    assert not report.findings, report.summary()
