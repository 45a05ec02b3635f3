"""Where the real-media acceptance corpus is, and the marks that skip a test without it."""

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("MEDIAHUB_TEST_CORPUS") or REPO.parent / "shared" / "corpus")

needs_corpus = [
    pytest.mark.corpus,
    pytest.mark.skipif(
        not (CORPUS / "exiftool_key_fields.json").is_file(),
        reason=f"real-media corpus not found at {CORPUS} (set MEDIAHUB_TEST_CORPUS)",
    ),
]


def ground_truth(name: str, empty):
    """A ground-truth JSON of the corpus, or `empty` without the corpus (for parametrize at collection)."""
    path = CORPUS / name
    return json.loads(path.read_text()) if path.is_file() else empty
