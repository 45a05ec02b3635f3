"""GET /api/map/points/: the visible located assets as points, or grid-cell clusters when many; every
asset filter applies, and bbox and near filter the asset list and search too."""

import pytest

from apps.places import points
from tests.factories import AssetFactory, LibraryFactory

from .helpers import FLORENCE, NEW_YORK, PARIS, ROME, located

pytestmark = pytest.mark.django_db
URL = "/api/map/points/"


@pytest.fixture
def library(user):
    return LibraryFactory(owner=user)


def point_ids(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["clustered"] is False
    return {row["id"] for row in body["points"]}


def test_points_carry_id_position_and_time_and_skip_assets_without_gps(user_client, library):
    rome = located(library, ROME)
    AssetFactory(library=library)  # no GPS
    body = user_client.get(URL).json()
    assert body["total"] == 1
    [row] = body["points"]
    assert row == {"id": str(rome.pk), "lat": ROME[0], "lon": ROME[1], "taken_at": rome.taken_at.isoformat()}


def test_trashed_and_invisible_photos_are_not_on_the_map(user_client, library, other_user):
    kept = located(library, ROME)
    trashed = located(library, PARIS)
    trashed.deleted_at = trashed.taken_at
    trashed.save()
    located(LibraryFactory(owner=other_user), NEW_YORK)
    assert point_ids(user_client.get(URL)) == {str(kept.pk)}


def test_bbox_limits_to_the_view_and_crosses_the_antimeridian(user_client, library):
    rome, paris = located(library, ROME), located(library, PARIS)
    fiji = located(library, (-17.7134, 178.0650))
    samoa = located(library, (-13.7590, -172.1046))
    assert point_ids(user_client.get(URL, {"bbox": "10,40,14,43"})) == {str(rome.pk)}
    assert point_ids(user_client.get(URL, {"bbox": "-10,40,20,50"})) == {str(rome.pk), str(paris.pk)}
    # West greater than east: the box spans the antimeridian (and a map panned past 180 wraps).
    assert point_ids(user_client.get(URL, {"bbox": "170,-20,-170,-10"})) == {str(fiji.pk), str(samoa.pk)}
    assert point_ids(user_client.get(URL, {"bbox": "170,-20,190,-10"})) == {str(fiji.pk), str(samoa.pk)}


def test_every_asset_filter_applies(user_client, library, user):
    canon = located(library, ROME, camera_model="EOS R5")
    located(library, FLORENCE, camera_model="iPhone 15")
    assert point_ids(user_client.get(URL, {"camera_model": "EOS R5"})) == {str(canon.pk)}
    assert point_ids(user_client.get(URL, {"taken_after": "2030-01-01T00:00:00Z"})) == set()


def test_search_place_and_country_apply(user_client, library):
    rome = located(library, ROME)
    paris = located(library, PARIS)
    assert point_ids(user_client.get(URL, {"country": "FR"})) == {str(paris.pk)}
    assert point_ids(user_client.get(URL, {"place": "Rome"})) == {str(rome.pk)}


@pytest.mark.parametrize("bad", [
    {"bbox": "1,2,3"}, {"bbox": "a,b,c,d"}, {"bbox": "0,50,10,40"}, {"bbox": "nan,0,1,1"},
    {"near": "1,2"}, {"near": "48,2,0"}, {"near": "91,0,5"}, {"zoom": "99"},
])
def test_bad_parameters_are_400_naming_the_field(user_client, library, bad):
    response = user_client.get(URL, bad)
    assert response.status_code == 400, response.content
    assert set(bad) <= set(response.json())


def test_many_points_come_back_as_clusters_with_the_box_that_lists_them(user_client, library, monkeypatch):
    monkeypatch.setattr(points, "POINT_LIMIT", 3)
    near_rome = [located(library, (ROME[0] + i * 0.001, ROME[1] + i * 0.001)) for i in range(3)]
    located(library, PARIS)
    located(library, NEW_YORK)
    body = user_client.get(URL, {"zoom": 3}).json()
    assert body["clustered"] is True and body["points"] == [] and body["total"] == 5
    assert body["cell"] == pytest.approx(points.cell_for_zoom(3))
    clusters = {c["count"]: c for c in body["clusters"]}
    assert sorted(c["count"] for c in body["clusters"]) == [1, 1, 3]
    rome = clusters[3]
    assert rome["id"] in {str(a.pk) for a in near_rome}
    assert rome["lat"] == pytest.approx(ROME[0] + 0.001, abs=1e-6)
    # The cluster's box, given back as bbox, lists exactly its photos.
    listed = user_client.get("/api/assets/", {"bbox": ",".join(map(str, rome["bbox"]))}).json()["results"]
    assert {row["id"] for row in listed} == {str(a.pk) for a in near_rome}


def test_zooming_in_splits_clusters(user_client, library, monkeypatch):
    monkeypatch.setattr(points, "POINT_LIMIT", 1)
    located(library, ROME)
    located(library, FLORENCE)
    assert [c["count"] for c in user_client.get(URL, {"zoom": 1}).json()["clusters"]] == [2]
    assert [c["count"] for c in user_client.get(URL, {"zoom": 8}).json()["clusters"]] == [1, 1]


def test_near_filters_assets_and_search_by_radius(user_client, library):
    rome = located(library, ROME)
    located(library, FLORENCE)  # ~230 km away
    near = f"{ROME[0]},{ROME[1]},50"
    assert point_ids(user_client.get(URL, {"near": near})) == {str(rome.pk)}
    assert [r["id"] for r in user_client.get("/api/assets/", {"near": near}).json()["results"]] == [str(rome.pk)]
    assert [r["id"] for r in user_client.get("/api/search/", {"near": near}).json()["results"]] == [str(rome.pk)]


def test_album_shared_photos_appear_on_a_members_map(user, other_user, other_client):
    from apps.albums import services as albums
    from apps.albums.models import AlbumMember, Role

    library = LibraryFactory(owner=user)
    shared, private = located(library, ROME), located(library, PARIS)
    album = albums.create_album(user, "Italy")
    albums.add_items(user, album, [shared.pk])
    AlbumMember.objects.create(album=album, user=other_user, role=Role.VIEWER)
    assert point_ids(other_client.get(URL)) == {str(shared.pk)}
    assert point_ids(other_client.get(URL, {"album": album.pk})) == {str(shared.pk)}
    assert private.pk  # the owner's other photo stays off the member's map
