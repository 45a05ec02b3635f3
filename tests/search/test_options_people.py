"""filter-options' people dimension: visible people, counted in visible assets."""

from datetime import datetime, timezone

import pytest

from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory

pytestmark = pytest.mark.django_db
URL = "/api/search/filter-options/"


def people_options(client):
    response = client.get(URL, {"dimension": "people"})
    assert response.status_code == 200, response.content
    [dimension] = response.json()
    assert dimension["param"] == "person"
    return [(o["label"], o["count"]) for o in dimension["options"]]


def test_people_counted_in_visible_assets_once_each(user_client, user, other_user):
    mine, theirs = LibraryFactory(owner=user), LibraryFactory(owner=other_user)
    ada, bob, unnamed = PersonFactory(name="Ada"), PersonFactory(name="Bob"), PersonFactory(name="")
    group = AssetFactory(library=mine)
    FaceFactory(asset=group, person=ada)
    FaceFactory(asset=group, person=ada, x=120)  # twice in one photo: one asset
    FaceFactory(asset=group, person=bob, x=160)
    FaceFactory(asset=AssetFactory(library=mine), person=ada)
    FaceFactory(asset=AssetFactory(library=mine), person=unnamed)
    FaceFactory(asset=AssetFactory(library=mine, deleted_at=datetime(2024, 1, 1, tzinfo=timezone.utc)), person=bob)
    FaceFactory(asset=AssetFactory(library=theirs), person=bob)  # Bob's photo elsewhere: not counted
    FaceFactory(asset=AssetFactory(library=theirs), person=PersonFactory(name="Carol"))  # never seen by alice
    assert people_options(user_client) == [("Ada", 2), ("Bob", 1), (f"Person {unnamed.pk}", 1)]


def test_hidden_people_are_not_offered(user_client, user):
    asset = AssetFactory(library=LibraryFactory(owner=user))
    FaceFactory(asset=asset, person=PersonFactory(name="Shy", hidden=True))
    assert people_options(user_client) == []


def test_the_offered_value_filters_search(user_client, user):
    library = LibraryFactory(owner=user)
    ada = PersonFactory(name="Ada")
    with_ada = AssetFactory(library=library)
    FaceFactory(asset=with_ada, person=ada)
    AssetFactory(library=library)
    [dimension] = user_client.get(URL, {"dimension": "people"}).json()
    value = dimension["options"][0]["value"]
    rows = user_client.get("/api/search/", {dimension["param"]: value}).json()["results"]
    assert [row["id"] for row in rows] == [str(with_ada.pk)]


def test_anonymous_gets_no_options(api_client):
    assert api_client.get(URL, {"dimension": "people"}).status_code in (401, 403)
