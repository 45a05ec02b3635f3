"""`favorite` and `rating` filters: each user's own flags, on the API, the Photos page and search."""

import pytest

from apps.assets.filters import AssetFilter
from apps.assets.models import Asset, AssetUserState
from apps.search import services
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(library, user, other_user):
    """Alice's assets with her flags; Bob's flags sit on the same assets to prove they stay apart."""
    loved, good, plain = (AssetFactory(library=library, path=f"f/{name}.jpg") for name in ("loved", "good", "plain"))
    AssetUserState.objects.create(user=user, asset=loved, favorite=True, rating=5)
    AssetUserState.objects.create(user=user, asset=good, rating=3)
    AssetUserState.objects.create(user=user, asset=plain, rating=0)
    # Bob's flags on the same assets must not leak into Alice's filter.
    AssetUserState.objects.create(user=other_user, asset=plain, favorite=True, rating=5)
    return {"loved": loved, "good": good, "plain": plain}


def names(rows):
    return sorted(row["filename"].removesuffix(".jpg") for row in rows)


@pytest.mark.parametrize("params, expected", [
    ({"favorite": "true"}, ["loved"]),
    ({"favorite": "false"}, ["good", "plain"]),
    ({"rating": "3"}, ["good", "loved"]),
    ({"rating": "5"}, ["loved"]),
    ({"rating": "0"}, ["good", "loved", "plain"]),
    ({"rating": "4", "favorite": "false"}, []),
])
def test_api_filters_by_the_callers_own_flags(user_client, shared, params, expected):
    response = user_client.get("/api/assets/", params)
    assert response.status_code == 200, response.content
    assert names(response.json()["results"]) == expected


def test_unrated_assets_without_a_state_row_count_as_not_favourite(user_client, shared, user):
    never_touched = AssetFactory(library=shared["loved"].library, path="f/fresh.jpg")
    assert "fresh" in names(user_client.get("/api/assets/", {"favorite": "false"}).json()["results"])
    assert "fresh" not in names(user_client.get("/api/assets/", {"rating": "1"}).json()["results"])
    assert never_touched.pk


@pytest.mark.parametrize("params", [{"rating": "6"}, {"rating": "-1"}, {"rating": "x"}])
def test_bad_values_are_400(user_client, params):
    response = user_client.get("/api/assets/", params)
    assert response.status_code == 400 and set(params) <= set(response.json())


def test_search_applies_the_same_filters_for_its_user(user, other_user, shared):
    assert [a.filename for a in services.search(user, {"favorite": "true"})] == ["loved.jpg"]
    assert sorted(a.filename for a in services.search(user, {"rating": "3"})) == ["good.jpg", "loved.jpg"]


def test_search_api_favourites(user_client, shared):
    response = user_client.get("/api/search/", {"favorite": "true"})
    assert response.status_code == 200
    assert names(response.json()["results"]) == ["loved"]


def test_photos_page_filters_favourites(client, user, shared, password):
    client.login(username=user.username, password=password)
    response = client.get("/", {"favorite": "true"})
    assert response.status_code == 200
    shown = response.content.decode()
    assert str(shared["loved"].pk) in shown and str(shared["good"].pk) not in shown


def test_without_a_user_the_personal_filters_match_nothing(shared):
    assets = Asset.objects.all()
    assert not AssetFilter({"favorite": "true"}, queryset=assets).qs.exists()
    assert not AssetFilter({"rating": "1"}, queryset=assets).qs.exists()
    assert AssetFilter({"rating": "0"}, queryset=assets).qs.count() == 3
