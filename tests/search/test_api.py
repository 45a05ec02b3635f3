"""GET /api/search/: words, prefixes, accents, places from real GPS, filters, visibility, paging."""

from datetime import datetime, timezone

import pytest

from apps.search import services
from tests.factories import AssetFactory, LibraryFactory

from .helpers import indexed

pytestmark = pytest.mark.django_db
URL = "/api/search/"


@pytest.fixture
def library(user):
    return LibraryFactory(owner=user)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_words_prefix_and_accents(user_client, library):
    zurich = indexed(library=library, path="Trips/Zürich See/IMG_0001.jpg")
    indexed(library=library, path="Trips/Bern/IMG_0002.jpg")
    assert ids(user_client.get(URL, {"q": "zurich"})) == [str(zurich.pk)]
    assert ids(user_client.get(URL, {"q": "ZÜR"})) == [str(zurich.pk)]  # prefix, any case, any accent
    assert ids(user_client.get(URL, {"q": "zurich bern"})) == []  # every word must match


def test_filename_number_matches(user_client, library):
    wanted = indexed(library=library, path="2019/IMG_4120.JPG")
    indexed(library=library, path="2019/IMG_5120.JPG")
    assert ids(user_client.get(URL, {"q": "4120"})) == [str(wanted.pk)]
    assert ids(user_client.get(URL, {"q": "IMG_4120"})) == [str(wanted.pk)]


def test_camera_and_lens_words(user_client, library):
    canon = indexed(library=library, camera_make="Canon", camera_model="Canon EOS R5", lens="RF24-105mm F4 L")
    indexed(library=library, camera_make="Apple", camera_model="iPhone 15")
    assert ids(user_client.get(URL, {"q": "eos r5"})) == [str(canon.pk)]
    assert ids(user_client.get(URL, {"q": "rf24"})) == [str(canon.pk)]


def test_file_name_outranks_a_camera_word(user_client, library):
    by_camera = indexed(library=library, path="a/IMG_1.jpg", camera_model="Sony Alpha")
    by_name = indexed(library=library, path="a/alpha.jpg")
    rows = user_client.get(URL, {"q": "alpha"}).json()["results"]
    assert [row["id"] for row in rows] == [str(by_name.pk), str(by_camera.pk)]
    assert rows[0]["score"] > rows[1]["score"] > 0


def test_place_from_real_gps(user_client, library):
    paris = indexed(library=library, latitude=48.8566, longitude=2.3522)
    indexed(library=library, latitude=40.7128, longitude=-74.0060)
    assert ids(user_client.get(URL, {"q": "paris"})) == [str(paris.pk)]
    assert ids(user_client.get(URL, {"q": "france"})) == [str(paris.pk)]
    assert ids(user_client.get(URL, {"country": "fr"})) == [str(paris.pk)]
    assert paris.search.city == "Paris" and paris.search.country_code == "FR"


def test_radius_filter(user_client, library):
    eiffel = indexed(library=library, latitude=48.8584, longitude=2.2945)
    indexed(library=library, latitude=48.8049, longitude=2.1204)  # Versailles, ~14 km away
    indexed(library=library)  # no GPS
    near = {"lat": 48.8566, "lon": 2.3522, "radius_km": 10}
    assert ids(user_client.get(URL, near)) == [str(eiffel.pk)]
    assert len(ids(user_client.get(URL, {**near, "radius_km": 20}))) == 2


def test_combined_with_asset_filters(user_client, library):
    match = indexed(library=library, path="beach/IMG_1.jpg", taken_at=datetime(2019, 7, 1, tzinfo=timezone.utc))
    indexed(library=library, path="beach/IMG_2.jpg", taken_at=datetime(2021, 7, 1, tzinfo=timezone.utc))
    indexed(library=library, path="beach/clip.mp4", kind="video", taken_at=datetime(2019, 7, 2, tzinfo=timezone.utc))
    query = {"q": "beach", "taken_after": "2019-01-01T00:00:00Z", "taken_before": "2020-01-01T00:00:00Z"}
    assert ids(user_client.get(URL, {**query, "kind": "photo"})) == [str(match.pk)]
    assert ids(user_client.get(URL, {**query, "year": 2019, "kind": "photo"})) == [str(match.pk)]


def test_filename_substring_mode(user_client, library):
    wanted = indexed(library=library, path="x/Receipt_Hardware.pdf")
    indexed(library=library, path="x/Holiday.jpg")
    assert ids(user_client.get(URL, {"filename": "ceipt_hard"})) == [str(wanted.pk)]


def test_other_users_and_trashed_assets_never_appear(user_client, library, other_user):
    mine = indexed(library=library, path="cats/mine.jpg")
    indexed(library=LibraryFactory(owner=other_user), path="cats/theirs.jpg")
    indexed(library=library, path="cats/trashed.jpg", deleted_at=datetime(2024, 1, 1, tzinfo=timezone.utc))
    assert ids(user_client.get(URL, {"q": "cats"})) == [str(mine.pk)]


def test_keyset_pages_walk_every_result_once(user_client, library):
    # Equal scores everywhere (the tie-break on id carries the cursor) plus a few better ones.
    expected = {str(indexed(library=library, path=f"walk/IMG_{n}.jpg").pk) for n in range(13)}
    expected |= {str(indexed(library=library, path=f"walk/walk walk {n}.jpg").pk) for n in range(3)}
    seen, url, params = [], URL, {"q": "walk", "page_size": 4}
    while url:
        body = user_client.get(url, params).json()
        seen += [row["id"] for row in body["results"]]
        url, params = body["next"], None
    assert len(seen) == len(set(seen)) == 16 and set(seen) == expected


@pytest.mark.parametrize("params, field", [
    ({"q": "!!!"}, "q"),
    ({"lat": 10, "lon": 10}, "params"),
    ({"lat": 91, "lon": 0, "radius_km": 1}, "lat"),
    ({"radius_km": "far", "lat": 1, "lon": 1}, "radius_km"),
    ({"taken_after": "yesterday"}, "taken_after"),
    ({"cursor": "garbage", "q": "x"}, "cursor"),
    ({"ordering": "filename"}, "ordering"),
])
def test_bad_parameters_are_400_with_the_field(user_client, params, field):
    response = user_client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_filter_options_count_visible_assets_only(user_client, library, other_user):
    AssetFactory(library=library, camera_make="Canon", camera_model="Canon EOS R5")
    AssetFactory(library=library, camera_make="Canon", camera_model="Canon EOS R5", mime="image/heic")
    AssetFactory(library=LibraryFactory(owner=other_user), camera_make="Canon", camera_model="Canon EOS R5")
    AssetFactory(library=LibraryFactory(owner=other_user), camera_make="Nikon", camera_model="Z 6")
    response = user_client.get("/api/search/filter-options/", {"dimension": "cameras"})
    assert response.status_code == 200
    assert response.json() == [{"dimension": "cameras", "param": "camera_model",
                                "options": [{"value": "Canon EOS R5", "label": "Canon EOS R5", "count": 2}]}]
    everything = {d["dimension"]: d for d in user_client.get("/api/search/filter-options/").json()}
    assert set(everything) == set(services.DIMENSIONS)
    assert {o["value"]: o["count"] for o in everything["file_types"]["options"]} == {"image/jpeg": 1, "image/heic": 1}


def test_place_options_name_city_and_country_and_skip_unindexed_assets(user_client, library):
    indexed(library=library, latitude=48.8566, longitude=2.3522)
    indexed(library=library, latitude=48.857, longitude=2.35)
    AssetFactory(library=library)  # not indexed yet: no search row
    [places] = user_client.get("/api/search/filter-options/", {"dimension": "places"}).json()
    assert places["param"] == "place"
    assert [(o["value"], o["count"]) for o in places["options"]] == [("Paris", 2)]
    assert places["options"][0]["label"] == "Paris, France"


def test_filter_options_unknown_dimension_is_400(user_client):
    response = user_client.get("/api/search/filter-options/", {"dimension": "moods"})
    assert response.status_code == 400 and "dimension" in response.json()


def test_query_count_does_not_grow_with_results(user_client, library, django_assert_max_num_queries):
    for n in range(30):
        indexed(library=library, path=f"many/IMG_{n}.jpg", camera_model="Ricoh GR")
    with django_assert_max_num_queries(3):  # session user, results (state joined), nothing per row
        assert len(ids(user_client.get(URL, {"q": "ricoh"}))) == 30
