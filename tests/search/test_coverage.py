"""GET /api/search/coverage/: how far each embedding has got over what the caller can see."""

import numpy as np
import pytest

from apps.scanning.models import AssetStage
from apps.search.clip import embeddings
from tests.factories import AssetFactory, LibraryFactory

from .helpers import indexed

pytestmark = pytest.mark.django_db
URL = "/api/search/coverage/"


def by_name(response):
    assert response.status_code == 200, response.content
    return {row["embedding"]: row for row in response.json()["embeddings"]}


def test_counts_done_missing_failed_and_other_model_over_visible_assets(user_client, user, other_user, clip):
    library = LibraryFactory(owner=user)
    photos = [indexed(library=library) for _ in range(4)]
    AssetFactory(library=library, kind="audio", mime="audio/mpeg", path="a/x.mp3")  # nothing to embed
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    vector = np.eye(1, 512, dtype=np.float32)
    embeddings.store([photos[0].pk, photos[1].pk, theirs.pk], [vector[0]] * 3, clip.image_model_name())
    embeddings.store([photos[2].pk], [vector[0]], "an-older-model")
    AssetStage.objects.create(asset=photos[3], stage="clip", error="NoPreview: no preview yet", attempts=1)
    rows = by_name(user_client.get(URL))
    assert {k: rows["clip"][k] for k in ("total", "done", "missing", "failed", "other_model")} == {
        "total": 4, "done": 2, "missing": 2, "failed": 1, "other_model": 1}
    assert rows["clip"]["available"] is True and rows["clip"]["model"] == clip.image_model_name()
    assert rows["search"]["total"] == 5 and rows["search"]["done"] == 4
    assert rows["faces"]["total"] == 4
    assert "queued_tasks" in user_client.get(URL).json()


def test_unavailable_clip_says_why(user_client, no_clip, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    clip = by_name(user_client.get(URL))["clip"]
    assert clip["available"] is False and "no-such-clip-model" in clip["reason"]
