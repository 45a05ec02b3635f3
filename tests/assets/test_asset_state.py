import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.assets.models import AssetUserState
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(library):
    return AssetFactory(library=library)


def test_state_defaults_then_patch_is_kept_per_user(user_client, user, other_user, mine, api_client):
    assert user_client.get(f"/api/assets/{mine.id}/state").json() | {"updated": None} == {
        "asset": str(mine.id), "favorite": False, "rating": 0, "rejected": False, "updated": None
    }
    response = user_client.patch(f"/api/assets/{mine.id}/state", {"favorite": True, "rating": 4}, format="json")
    assert response.status_code == 200 and response.json()["rating"] == 4
    mine.library.shared_with.add(other_user)
    api_client.force_authenticate(other_user)
    assert api_client.get(f"/api/assets/{mine.id}/state").json()["favorite"] is False  # Bob's is his own
    api_client.post(f"/api/assets/{mine.id}/state", {"rejected": True}, format="json")
    alice = AssetUserState.objects.get(user=user, asset=mine)
    assert (alice.favorite, alice.rating, alice.rejected) == (True, 4, False)


def test_patch_changes_only_the_fields_given(user_client, user, mine):
    user_client.patch(f"/api/assets/{mine.id}/state", {"favorite": True}, format="json")
    user_client.patch(f"/api/assets/{mine.id}/state", {"rating": 2}, format="json")
    state = AssetUserState.objects.get(user=user, asset=mine)
    assert (state.favorite, state.rating) == (True, 2)


@pytest.mark.parametrize("body", [{"rating": 6}, {"rating": -1}, {"favorite": "maybe"}])
def test_bad_state_is_400(user_client, mine, body):
    response = user_client.patch(f"/api/assets/{mine.id}/state", body, format="json")
    assert response.status_code == 400 and set(response.json()) == set(body)


def test_state_of_an_invisible_asset_is_404(user_client, other_user):
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    assert user_client.get(f"/api/assets/{theirs.id}/state").status_code == 404
    assert user_client.patch(f"/api/assets/{theirs.id}/state", {"favorite": True}, format="json").status_code == 404
    assert not AssetUserState.objects.exists()


@pytest.mark.parametrize(
    "action,extra,field,value",
    [("favorite", {}, "favorite", True), ("reject", {}, "rejected", True), ("rate", {"rating": 3}, "rating", 3)],
)
def test_batch_action_applies_to_every_id_in_constant_queries(user_client, user, action, extra, field, value):
    library = LibraryFactory(owner=user)
    few, many = AssetFactory.create_batch(2, library=library), AssetFactory.create_batch(30, library=library)
    counts = []
    for assets in (few, many):
        with CaptureQueriesContext(connection) as queries:
            response = user_client.post(
                "/api/assets/batch/", {"ids": [str(a.id) for a in assets], "action": action, **extra}, format="json"
            )
        assert response.status_code == 200, response.content
        assert response.json() == {"action": action, "updated": len(assets)}
        counts.append(len(queries))
    assert counts[0] == counts[1], "batch must not cost a query per asset"
    assert set(AssetUserState.objects.filter(user=user).values_list(field, flat=True)) == {value}


def test_batch_undo_actions(user_client, user, mine):
    for action, expected in [("favorite", True), ("unfavorite", False)]:
        user_client.post("/api/assets/batch/", {"ids": [str(mine.id)], "action": action}, format="json")
        assert AssetUserState.objects.get(user=user, asset=mine).favorite is expected
    for action, expected in [("reject", True), ("unreject", False)]:
        user_client.post("/api/assets/batch/", {"ids": [str(mine.id)], "action": action}, format="json")
        assert AssetUserState.objects.get(user=user, asset=mine).rejected is expected


def test_batch_with_an_invisible_id_changes_nothing_and_leaks_nothing(user_client, user, other_user, mine):
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    missing = uuid.uuid4()
    response = user_client.post(
        "/api/assets/batch/", {"ids": [str(mine.id), str(theirs.id), str(missing)], "action": "favorite"},
        format="json",
    )
    assert response.status_code == 404
    # An existing-but-hidden id and a made-up one are reported the same way.
    assert sorted(response.json()["not_found"]) == sorted([str(theirs.id), str(missing)])
    assert not AssetUserState.objects.exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"ids": [], "action": "favorite"}, "ids"),
        ({"ids": ["not-a-uuid"], "action": "favorite"}, "ids"),
        ({"action": "favorite"}, "ids"),
        ({"ids": ["00000000-0000-0000-0000-000000000001"], "action": "explode"}, "action"),
        ({"ids": ["00000000-0000-0000-0000-000000000001"], "action": "rate"}, "rating"),
        ({"ids": ["00000000-0000-0000-0000-000000000001"], "action": "rate", "rating": 9}, "rating"),
        ({"ids": ["00000000-0000-0000-0000-000000000001"], "action": "favorite", "rating": 2}, "rating"),
    ],
)
def test_batch_bad_input_is_400_naming_the_field(user_client, body, field):
    response = user_client.post("/api/assets/batch/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_trashed_assets_take_no_state(user_client, user):
    from django.utils import timezone

    trashed = AssetFactory(library=LibraryFactory(owner=user), deleted_at=timezone.now())
    response = user_client.post("/api/assets/batch/", {"ids": [str(trashed.id)], "action": "favorite"}, format="json")
    assert response.status_code == 404


def test_lists_and_details_carry_the_callers_own_state_in_constant_queries(user_client, user, other_user):
    library = LibraryFactory(owner=user, shared_with_all=True)
    assets = AssetFactory.create_batch(6, library=library)
    user_client.post("/api/assets/batch/", {"ids": [str(assets[0].id)], "action": "favorite"}, format="json")
    user_client.post("/api/assets/batch/", {"ids": [str(assets[1].id)], "action": "rate", "rating": 4},
                     format="json")
    AssetUserState.objects.create(user=other_user, asset=assets[2], rejected=True)  # Bob's, not Alice's

    with CaptureQueriesContext(connection) as few:
        user_client.get("/api/assets/", {"page_size": 2})
    with CaptureQueriesContext(connection) as many:
        rows = user_client.get("/api/assets/", {"page_size": 6}).json()["results"]
    assert len(few) == len(many), "my_state must not cost a query per row"
    states = {row["id"]: row["my_state"] for row in rows}
    assert states[str(assets[0].id)] == {"favorite": True, "rating": 0, "rejected": False}
    assert states[str(assets[1].id)]["rating"] == 4
    assert states[str(assets[2].id)]["rejected"] is False
    assert user_client.get(f"/api/assets/{assets[0].id}/").json()["my_state"]["favorite"] is True
