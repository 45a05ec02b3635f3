"""GET /api/assets/{id}/similar over real photos, and the detail view's Similar panel."""

from pathlib import Path

import pytest
from PIL import Image

from tests.assets.duplicates_samples import indexed, save, scene
from tests.assets.media_samples import library_at


def ids(response):
    assert response.status_code == 200, response.content
    return [row["asset"]["id"] for row in response.json()]


@pytest.mark.django_db
def test_visual_similar_ranks_copies_first_and_leaves_distinct_photos_out(library, user_client):
    root = Path(library.root_path)
    save(scene(7), root / "a.jpg")
    save(scene(7).resize((300, 225)), root / "a small.jpg", quality=60)
    save(scene(8), root / "b.jpg")
    a, small, b = (indexed(library, n) for n in ("a.jpg", "a small.jpg", "b.jpg"))

    response = user_client.get(f"/api/assets/{a.pk}/similar", {"kind": "visual", "threshold": 8})

    assert ids(response) == [str(small.pk)]
    [row] = response.json()
    assert row["distance"] <= 8 and row["score"] > 0.85
    assert str(b.pk) in ids(user_client.get(f"/api/assets/{a.pk}/similar", {"kind": "visual", "threshold": 64}))


@pytest.mark.django_db
def test_colour_similar_uses_histogram_intersection(library, user_client):
    root = Path(library.root_path)
    save(Image.new("RGB", (400, 300), (200, 30, 30)), root / "red.jpg")
    save(Image.new("RGB", (300, 400), (205, 35, 25)), root / "also red.jpg")
    save(Image.new("RGB", (400, 300), (20, 40, 210)), root / "blue.jpg")
    red, also_red, blue = (indexed(library, n) for n in ("red.jpg", "also red.jpg", "blue.jpg"))

    response = user_client.get(f"/api/assets/{red.pk}/similar", {"kind": "colour"})

    assert ids(response) == [str(also_red.pk)]
    assert response.json()[0]["score"] > 0.9
    assert len(red.colour_histogram) == 64 and abs(sum(red.colour_histogram) - 1) < 1e-3
    assert set(ids(user_client.get(f"/api/assets/{red.pk}/similar", {"kind": "colour", "threshold": 0}))) == {
        str(also_red.pk), str(blue.pk)}


@pytest.mark.django_db
def test_similar_never_shows_another_users_photos(library, user_client, other_user, tmp_path):
    root = Path(library.root_path)
    save(scene(9), root / "mine.jpg")
    mine = indexed(library, "mine.jpg")
    bobs = library_at(tmp_path / "bob", other_user)
    save(scene(9), tmp_path / "bob" / "same photo.jpg")
    indexed(bobs, "same photo.jpg")

    for kind in ("visual", "colour"):
        assert ids(user_client.get(f"/api/assets/{mine.pk}/similar", {"kind": kind, "threshold": 0 if kind == "colour" else 64})) == []


@pytest.mark.django_db
def test_person_similarity_says_it_needs_faces_and_bad_input_is_400(library, user_client):
    save(scene(10), Path(library.root_path) / "p.jpg")
    photo = indexed(library, "p.jpg")

    person = user_client.get(f"/api/assets/{photo.pk}/similar", {"kind": "person"})
    assert person.status_code == 400 and "needs faces" in person.json()["detail"]
    assert user_client.get(f"/api/assets/{photo.pk}/similar", {"kind": "smell"}).status_code == 400
    assert user_client.get(f"/api/assets/{photo.pk}/similar", {"threshold": 99}).status_code == 400


@pytest.mark.django_db
def test_the_detail_view_loads_a_similar_panel(library, user, client):
    root = Path(library.root_path)
    save(scene(11), root / "x.jpg")
    save(scene(11), root / "x again.jpg", quality=50)
    x, again = indexed(library, "x.jpg"), indexed(library, "x again.jpg")
    client.force_login(user)

    page = client.get(f"/photos/{x.pk}/").content.decode()
    assert f"/photos/{x.pk}/similar" in page
    panel = client.get(f"/photos/{x.pk}/similar", headers={"HX-Request": "true"}).content.decode()
    assert f"/photos/{again.pk}/" in panel and "x again.jpg" in panel
