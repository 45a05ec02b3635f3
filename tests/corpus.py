"""Where the real-media acceptance corpus is, and the marks that skip a test without it."""

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
