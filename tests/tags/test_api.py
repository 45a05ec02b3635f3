"""The tags API and the tag filters through /api/assets/, /api/search/ and filter-options."""

import pytest

from apps.tags.models import Tag
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def photos(user):
    library = LibraryFactory(owner=user)
    return [AssetFactory(library=library, path=f"p{n}.jpg") for n in range(3)]


def tag(client, assets, *paths):
    response = client.post("/api/tags/add/", {"assets": [str(a.pk) for a in assets], "tags": list(paths)},
                           format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_tagging_a_selection_then_and_not_filters_on_assets_search_and_filter_options(user_client, photos):
    one, two, three = photos
    reply = tag(user_client, [one, two], "Trips/Rome")
    assert (reply["tagged"], reply["not_found"], reply["tags"][0]["count"]) == (2, 0, 2)
    tag(user_client, [two], "Blurry")
    query = "tags_all=Trips,trips/rome&tags_none=Blurry"
    assets = user_client.get(f"/api/assets/?{query}").json()["results"]
    assert [a["id"] for a in assets] == [str(one.pk)]
    found = user_client.get(f"/api/search/?{query}").json()["results"]
    assert [a["id"] for a in found] == [str(one.pk)]
    assert user_client.get("/api/assets/?tags_all=nothing-like-it").json()["results"] == []
    [dimension] = user_client.get("/api/search/filter-options/?dimension=tags").json()
    assert dimension["param"] == "tags_all"
    assert {o["value"]: o["count"] for o in dimension["options"]} == {"Trips/Rome": 2, "Blurry": 1}


def test_bad_names_answer_400_saying_why_and_a_taken_name_on_rename_409(user_client, photos):
    long = user_client.post("/api/tags/", {"path": "x" * 256}, format="json")
    assert long.status_code == 400 and "255" in str(long.json())
    control = user_client.post("/api/tags/add/", {"assets": [str(photos[0].pk)], "tags": ["a\x1bb"]}, format="json")
    assert control.status_code == 400 and "control characters" in str(control.json())
    assert user_client.post("/api/tags/", {"path": "Kept"}, format="json").status_code == 201
    other = user_client.post("/api/tags/", {"path": "Other"}, format="json").json()
    renamed = user_client.patch(f"/api/tags/{other['id']}/", {"path": "kept"}, format="json")
    assert renamed.status_code == 409 and "Kept" in renamed.json()["detail"]
    colour = user_client.patch(f"/api/tags/{other['id']}/", {"colour": "red"}, format="json")
    assert colour.status_code == 400


def test_a_photos_tags_remove_and_the_tags_page(user_client, client, user, photos):
    client.force_login(user)
    tag(user_client, [photos[0]], "Places/Italy/Rome")
    assert [t["path"] for t in user_client.get(f"/api/assets/{photos[0].pk}/tags/").json()] == ["Places/Italy/Rome"]
    page = client.get("/tags/")
    assert page.status_code == 200 and b"Rome" in page.content and b"Italy" in page.content
    fragment = client.get(f"/photos/{photos[0].pk}/tags")
    assert b"Places/Italy/Rome" in fragment.content
    removed = user_client.post("/api/tags/remove/", {"assets": [str(photos[0].pk)], "tags": ["places/italy/rome"]},
                               format="json").json()
    assert removed == {"removed": 1, "refused": 0, "not_found": 0}
    assert Tag.objects.filter(path="Places/Italy/Rome").exists()  # the tag stays, off the photo
