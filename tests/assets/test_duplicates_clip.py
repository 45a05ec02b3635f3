"""Near duplicates with CLIP embeddings as a second witness: veto pHash look-alikes, stretch for edits."""

import numpy as np
import pytest

from apps.assets.duplicates import services
from apps.assets.models import DuplicateGroup
from apps.search.clip import embeddings
from tests.factories import AssetFactory
from tests.search import conftest as search_fixtures

from .test_similar_clip import BASE_HASH, at_cosine

pytestmark = pytest.mark.django_db
# The tiny random CLIP of the search tests (a session-wide folder) and MEDIAHUB_CLIP_MODEL pointing at it.
tiny_clip_folder, clip = search_fixtures.tiny_clip_folder, search_fixtures.clip


def near_sets():
    groups = DuplicateGroup.objects.open().filter(kind=DuplicateGroup.Kind.NEAR)
    return {frozenset(m.asset.filename for m in g.members.all()) for g in groups}


def photo(library, name, bits, start=0):
    """A photo whose pHash differs from BASE_HASH in `bits` bits from bit `start` on."""
    value = BASE_HASH ^ (((1 << bits) - 1) << start)
    value = value - (1 << 64) if value >= 1 << 63 else value
    return AssetFactory(library=library, path=name, filename=name, phash=value, content_hash=name)


def test_clip_vetoes_phash_lookalikes_and_admits_edited_copies(library, clip):
    reference = np.zeros(512, dtype=np.float32)
    reference[0] = 1
    original = photo(library, "original.jpg", 0)
    resized = photo(library, "resized.jpg", 3)  # pHash-near, CLIP agrees
    lookalike = photo(library, "other beach.jpg", 4)  # pHash-near, CLIP: another picture
    cropped = photo(library, "cropped.jpg", 10)  # past 6 bits, but CLIP sees the same picture
    photo(library, "not embedded yet.jpg", 5, start=40)  # pHash alone decides, as before
    far = photo(library, "far.jpg", 20, start=20)  # past twice the threshold: never, whatever CLIP says
    vectors = {original: reference, resized: at_cosine(reference, 0.97, 1), lookalike: at_cosine(reference, 0.6, 2),
               cropped: at_cosine(reference, 0.96, 3), far: at_cosine(reference, 0.99, 4)}
    embeddings.store([a.pk for a in vectors], list(vectors.values()), clip.image_model_name())

    services.find_duplicates(threshold=6)
    assert near_sets() == {frozenset({"original.jpg", "resized.jpg", "cropped.jpg", "not embedded yet.jpg"})}


def test_without_embeddings_grouping_is_pure_phash(library, clip):
    photo(library, "a.jpg", 0)
    photo(library, "b.jpg", 4)
    photo(library, "c.jpg", 10, start=20)
    services.find_duplicates(threshold=6)
    assert near_sets() == {frozenset({"a.jpg", "b.jpg"})}
