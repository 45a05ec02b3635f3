"""The albums API end to end: create, list, items in pages, bulk add and remove, reorder, members,
links, smart albums; bad input named by field."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.albums.models import Album, AlbumItem, ShareLink
from tests.albums.factories import AlbumFactory
from tests.conftest import client_for
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


def ids(rows):
    return [row["asset"]["id"] for row in rows]


def test_create_then_list_own_and_shared_albums(user_client, user, album, viewer_client, viewer):
    created = user_client.post("/api/albums/", {"title": "  Winter  ", "description": "Snow"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["title"] == "Winter" and created.json()["role"] == "owner"
    mine = user_client.get("/api/albums/", {"shared": "false"}).json()["results"]
    assert [a["title"] for a in mine] == ["Winter", "Summer"]
    shared = viewer_client.get("/api/albums/", {"shared": "true"}).json()["results"]
    assert [(a["title"], a["role"], a["owner"]) for a in shared] == [("Summer", "viewer", "alice")]


def test_an_album_says_its_count_dates_and_cover(user_client, album, photos):
    body = user_client.get(f"/api/albums/{album.pk}/").json()
    assert body["item_count"] == 3 and body["start_at"].startswith("2024-06-01")
    assert body["cover"] is None and body["shown_cover"] == str(photos[0].pk)
    changed = user_client.patch(f"/api/albums/{album.pk}/", {"cover": str(photos[2].pk)}, format="json")
    assert changed.json()["cover"] == changed.json()["shown_cover"] == str(photos[2].pk)
    outside = user_client.patch(f"/api/albums/{album.pk}/", {"cover": str(photos[4].pk)}, format="json")
    assert outside.status_code == 400 and "cover" in outside.json()


def test_albums_holding_an_asset(user_client, album, photos):
    AlbumFactory(owner=album.owner, title="Empty")
    listed = user_client.get("/api/albums/", {"asset": str(photos[0].pk)}).json()["results"]
    assert [a["title"] for a in listed] == ["Summer"]


def test_the_album_list_costs_the_same_queries_for_many_albums(
    user_client, user, photos, django_assert_max_num_queries
):
    from apps.albums import services

    for n in range(30):
        album = services.create_album(user, f"A{n}")
        services.add_items(user, album, [photos[n % 5].pk])
    with django_assert_max_num_queries(4):
        response = user_client.get("/api/albums/")
    assert len(response.json()["results"]) == 30


def test_items_page_through_the_album_in_its_order(user_client, album, photos):
    user_client.post(f"/api/albums/{album.pk}/items/", {"assets": [str(p.pk) for p in photos]}, format="json")
    first = user_client.get(f"/api/albums/{album.pk}/items/", {"page_size": 3}).json()
    second = user_client.get(first["next"]).json()
    assert ids(first["results"] + second["results"]) == [str(p.pk) for p in photos]
    assert second["next"] is None
    assert first["results"][0]["added_by"] == "alice"
    assert user_client.get(f"/api/albums/{album.pk}/items/", {"cursor": "junk"}).status_code == 400


def test_bulk_add_answers_per_asset(user_client, album, photos, other_user):
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    unknown = "00000000-0000-0000-0000-000000000042"
    response = user_client.post(
        f"/api/albums/{album.pk}/items/",
        {"assets": [str(photos[4].pk), str(theirs.pk), unknown, str(photos[0].pk)]},
        format="json",
    )
    assert response.status_code == 200
    assert [r["status"] for r in response.json()] == [201, 404, 404, 200]
    assert (
        user_client.post(f"/api/albums/{album.pk}/items/", {"assets": ["nope"]}, format="json").status_code
        == 400
    )


def test_removing_keeps_the_photos(user_client, album, photos):
    response = user_client.delete(
        f"/api/albums/{album.pk}/items/", {"assets": [str(photos[0].pk)]}, format="json"
    )
    assert [r["status"] for r in response.json()] == [204]
    assert user_client.get(f"/api/assets/{photos[0].pk}/").status_code == 200
    assert user_client.get(f"/api/albums/{album.pk}/").json()["item_count"] == 2


def test_reorder_moves_one_item_and_names_an_asset_not_in_the_album(user_client, album, photos):
    moved = user_client.post(
        f"/api/albums/{album.pk}/items/reorder/", {"asset": str(photos[2].pk)}, format="json"
    )
    assert moved.status_code == 200, moved.content
    rows = user_client.get(f"/api/albums/{album.pk}/items/").json()["results"]
    assert ids(rows) == [str(photos[2].pk), str(photos[0].pk), str(photos[1].pk)]
    bad = user_client.post(
        f"/api/albums/{album.pk}/items/reorder/",
        {"asset": str(photos[4].pk), "after": str(photos[0].pk)},
        format="json",
    )
    assert bad.status_code == 400 and str(photos[4].pk) in bad.json()["asset"][0]


def test_a_date_ordered_album_refuses_hand_moves_with_409(user_client, album, photos):
    user_client.patch(f"/api/albums/{album.pk}/", {"sort": "date_desc"}, format="json")
    rows = user_client.get(f"/api/albums/{album.pk}/items/").json()["results"]
    assert ids(rows) == [str(p.pk) for p in reversed(photos[:3])]
    assert (
        user_client.post(
            f"/api/albums/{album.pk}/items/reorder/", {"asset": str(photos[0].pk)}, format="json"
        ).status_code
        == 409
    )


def test_members_are_added_by_user_name_and_a_non_user_is_400(user_client, album, other_user):
    added = user_client.post(
        f"/api/albums/{album.pk}/members/", {"user": "bob", "role": "contributor"}, format="json"
    )
    assert added.status_code == 201 and added.json()["role"] == "contributor"
    again = user_client.post(
        f"/api/albums/{album.pk}/members/", {"user": "bob", "role": "viewer"}, format="json"
    )
    assert again.status_code == 200 and again.json()["role"] == "viewer"
    nobody = user_client.post(f"/api/albums/{album.pk}/members/", {"user": "nobody"}, format="json")
    assert nobody.status_code == 400 and "user" in nobody.json()
    assert [m["username"] for m in user_client.get(f"/api/albums/{album.pk}/members/").json()] == ["bob"]


def test_links_are_made_listed_and_revoked(user_client, album, api_client):
    made = user_client.post(
        f"/api/albums/{album.pk}/links/", {"password": "open-sesame", "show_metadata": False}, format="json"
    )
    assert made.status_code == 201, made.content
    link = made.json()
    assert link["url"].endswith(f"/s/{link['token']}/") and link["has_password"] and "password" not in link
    assert api_client.get(f"/s/{link['token']}/").status_code in (200, 401)
    listed = user_client.get("/api/links/").json()
    assert [row["id"] for row in listed] == [link["id"]] and listed[0]["asset_count"] == 3
    revoked = user_client.patch(f"/api/links/{link['id']}/", {"revoked": True}, format="json").json()
    assert revoked["revoked"] and revoked["revoked_at"]
    assert api_client.get(f"/s/{link['token']}/").status_code == 404
    assert (
        user_client.patch(f"/api/links/{link['id']}/", {"revoked": False}, format="json").status_code == 400
    )


@pytest.mark.parametrize(
    "body, field",
    [
        ({"expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
        ({"password": "abc"}, "password"),
    ],
)
def test_a_past_expiry_or_short_password_is_400(user_client, album, body, field):
    response = user_client.post(f"/api/albums/{album.pk}/links/", body, format="json")
    assert response.status_code == 400 and field in response.json()


def test_a_hand_picked_link_and_its_expiry(user_client, photos):
    expires = (timezone.now() + timedelta(days=7)).isoformat()
    made = user_client.post(
        "/api/links/", {"assets": [str(photos[0].pk)], "title": "One", "expires_at": expires}, format="json"
    )
    assert made.status_code == 201 and made.json()["asset_count"] == 1
    assert ShareLink.objects.get(pk=made.json()["id"]).assets.get() == photos[0]
    assert user_client.post("/api/links/", {}, format="json").status_code == 400


def test_a_smart_album_lists_its_live_search_and_freezes(user_client, user, library):
    from tests.search.helpers import indexed

    beach = indexed(library=library, path="Beach/IMG_1.jpg")
    made = user_client.post(
        "/api/albums/", {"title": "Beach", "query": {"q": "beach", "search_type": "text"}}, format="json"
    ).json()
    assert made["kind"] == "smart" and made["item_count"] == 1
    rows = user_client.get(f"/api/albums/{made['id']}/items/").json()["results"]
    assert ids(rows) == [str(beach.pk)] and rows[0]["position"] is None
    assert (
        user_client.post(
            f"/api/albums/{made['id']}/items/", {"assets": [str(beach.pk)]}, format="json"
        ).status_code
        == 409
    )
    frozen = user_client.post(f"/api/albums/{made['id']}/freeze/").json()
    assert frozen["kind"] == "regular" and frozen["item_count"] == 1
    assert AlbumItem.objects.filter(album_id=made["id"]).count() == 1
    bad = user_client.post("/api/albums/", {"title": "Bad", "query": {"year": "12"}}, format="json")
    assert bad.status_code == 400 and "query.year" in bad.json()


def test_album_filter_on_search(user_client, album, photos):
    response = user_client.get("/api/search/", {"album": album.pk})
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {str(p.pk) for p in photos[:3]}


def test_deleting_an_album_keeps_the_photos(user_client, album, photos):
    assert user_client.delete(f"/api/albums/{album.pk}/").status_code == 204
    assert not Album.objects.filter(pk=album.pk).exists()
    assert user_client.get(f"/api/assets/{photos[0].pk}/").status_code == 200


def test_a_malformed_album_id_is_404(user_client):
    assert user_client.get("/api/albums/abc/").status_code == 404


def test_stranger_cannot_reach_an_album_through_another_one(stranger, album, photos):
    client = client_for(stranger)
    assert client.get(f"/api/albums/{album.pk}/items/").status_code == 404
    assert (
        client.post(
            f"/api/albums/{album.pk}/items/", {"assets": [str(photos[0].pk)]}, format="json"
        ).status_code
        == 404
    )
