""""Similar" with CLIP embeddings (visual = pHash and CLIP cosine) and by shared people."""

import numpy as np
import pytest

from apps.people.models import Face, Person
from apps.search.clip import embeddings
from tests.factories import AssetFactory, LibraryFactory
from tests.search import conftest as search_fixtures

pytestmark = pytest.mark.django_db
# The tiny random CLIP of the search tests (a session-wide folder) and MEDIAHUB_CLIP_MODEL pointing at it.
tiny_clip_folder, clip = search_fixtures.tiny_clip_folder, search_fixtures.clip
BASE_HASH = 0x0F0F_F0F0_1234_5678


def flip(bits: int) -> int:
    """BASE_HASH with its lowest `bits` bits flipped, as a signed 64-bit pHash."""
    value = BASE_HASH ^ ((1 << bits) - 1)
    return value - (1 << 64) if value >= 1 << 63 else value


def at_cosine(reference, cosine: float, seed: int):
    noise = np.random.default_rng(seed).normal(size=512)
    noise -= noise.dot(reference) * reference
    noise /= np.linalg.norm(noise)
    return (cosine * reference + np.sqrt(1 - cosine**2) * noise).astype(np.float32)


def similar(client, asset, **params):
    response = client.get(f"/api/assets/{asset.pk}/similar", {"kind": "visual", **params})
    assert response.status_code == 200, response.content
    return [(row["asset"]["id"], row["score"], row["distance"]) for row in response.json()]


def test_visual_combines_phash_and_clip(user_client, library, other_user, clip):
    reference = np.zeros(512, dtype=np.float32)
    reference[0] = 1
    photo = AssetFactory(library=library, phash=flip(0))
    same_scene = AssetFactory(library=library, phash=flip(30))  # pHash far, CLIP very close: a crop, an edit
    resized = AssetFactory(library=library, phash=flip(2))  # pHash close, not embedded yet
    unrelated = AssetFactory(library=library, phash=flip(40))
    both = AssetFactory(library=library, phash=flip(4))
    theirs = AssetFactory(library=LibraryFactory(owner=other_user), phash=flip(1))
    vectors = {photo: reference, same_scene: at_cosine(reference, 0.95, 1), unrelated: at_cosine(reference, 0.5, 2),
               both: at_cosine(reference, 0.9, 3), theirs: at_cosine(reference, 0.99, 4)}
    embeddings.store([a.pk for a in vectors], list(vectors.values()), clip.image_model_name())

    rows = similar(user_client, photo, threshold=8)
    assert [r[0] for r in rows] == [str(resized.pk), str(both.pk), str(same_scene.pk)]
    by_id = {r[0]: r for r in rows}
    assert by_id[str(resized.pk)][1:] == (pytest.approx(1 - 2 / 64, abs=1e-4), 2)  # pHash only
    assert by_id[str(same_scene.pk)][1] == pytest.approx((1 - 30 / 64 + 0.95) / 2, abs=1e-3)  # the mean of both
    assert by_id[str(both.pk)][1] == pytest.approx((1 - 4 / 64 + 0.9) / 2, abs=1e-3)
    assert str(unrelated.pk) not in by_id and str(theirs.pk) not in by_id


def test_visual_works_from_clip_alone_when_a_photo_has_no_phash(user_client, library, clip):
    reference = np.zeros(512, dtype=np.float32)
    reference[5] = 1
    photo = AssetFactory(library=library, phash=None)
    alike = AssetFactory(library=library, phash=flip(3))
    embeddings.store([photo.pk, alike.pk], [reference, at_cosine(reference, 0.85, 1)], clip.image_model_name())
    assert [(r[0], r[2]) for r in similar(user_client, photo)] == [(str(alike.pk), None)]


def test_embeddings_of_another_model_are_ignored(user_client, library, clip):
    reference = np.zeros(512, dtype=np.float32)
    reference[1] = 1
    photo = AssetFactory(library=library, phash=flip(0))
    old = AssetFactory(library=library, phash=flip(50))
    embeddings.store([photo.pk], [reference], clip.image_model_name())
    embeddings.store([old.pk], [reference], "an-older-model")
    assert similar(user_client, photo) == []


def _face(asset, person):
    return Face.objects.create(asset=asset, person=person, x=1, y=1, width=30, height=30, preview_width=100,
                               preview_height=100, score=0.9, backend="yunet")


def test_person_kind_ranks_photos_by_shared_people_and_respects_visibility(user_client, library, other_user):
    anna, ben = Person.objects.create(name="Anna"), Person.objects.create(name="Ben")
    photo, both, only_anna, nobody = (AssetFactory(library=library) for _ in range(4))
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    for asset, people in ((photo, [anna, ben]), (both, [anna, ben]), (only_anna, [anna]), (theirs, [anna, ben])):
        for person in people:
            _face(asset, person)
    response = user_client.get(f"/api/assets/{photo.pk}/similar", {"kind": "person"})
    rows = [(row["asset"]["id"], row["score"]) for row in response.json()]
    assert rows == [(str(both.pk), 1.0), (str(only_anna.pk), 0.5)]
    two = user_client.get(f"/api/assets/{photo.pk}/similar", {"kind": "person", "threshold": 2}).json()
    assert [row["asset"]["id"] for row in two] == [str(both.pk)]
    assert str(nobody.pk) not in str(rows)


def test_similar_panel_names_what_it_compared(client, user, library, clip):
    reference = np.zeros(512, dtype=np.float32)
    reference[2] = 1
    photo = AssetFactory(library=library, phash=flip(0))
    alike = AssetFactory(library=library, phash=flip(20))
    embeddings.store([photo.pk, alike.pk], [reference, at_cosine(reference, 0.9, 1)], clip.image_model_name())
    client.force_login(user)
    html = client.get(f"/photos/{photo.pk}/similar", {"kind": "visual"}).content.decode()
    assert f"/photos/{alike.pk}" in html and "pHash and CLIP" in html
