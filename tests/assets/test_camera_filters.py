"""Camera-setting filters (ISO, aperture, shutter, focal length and its 35 mm equivalent, RAW,
orientation) through /api/assets/ and /api/search/, and their bad values."""

import itertools

import pytest

from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

# name: (iso, f_number, exposure_time, focal_length, focal_length_35mm, mime, width, height, user_rotation)
PHOTOS = {
    "street": (100, 8.0, 1 / 500, 35.0, 52.0, "image/jpeg", 6000, 4000, 0),
    "night": (6400, 1.8, 1 / 30, 24.0, 36.0, "image/x-sony-arw", 4000, 6000, 0),
    "stars": (3200, 2.8, 25.0, 14.0, 21.0, "image/x-adobe-dng", 6000, 4000, 90),
    "bird": (800, 5.6, 1 / 2000, 600.0, 900.0, "image/x-canon-cr3", 3000, 3000, 0),
    "phone": (None, None, None, None, None, "image/heic", None, None, 0),
}


@pytest.fixture
def photos(library):
    for name, (iso, f, t, focal, focal35, mime, width, height, turn) in PHOTOS.items():
        AssetFactory(library=library, path=f"c/{name}.jpg", iso=iso, f_number=f, exposure_time=t, focal_length=focal,
                     focal_length_35mm=focal35, mime=mime, width=width, height=height, user_rotation=turn)


def names(response):
    assert response.status_code == 200, response.content
    return sorted(row["filename"].removesuffix(".jpg") for row in response.json()["results"])


NARROWING = [
    ({"iso_min": "800"}, ["bird", "night", "stars"]),
    ({"iso_max": "800"}, ["bird", "street"]),
    ({"iso_min": "800", "iso_max": "3200"}, ["bird", "stars"]),
    ({"aperture_max": "2.8"}, ["night", "stars"]),
    ({"aperture_min": "5.6", "aperture_max": "8"}, ["bird", "street"]),
    ({"shutter_min": "1/30"}, ["night", "stars"]),
    ({"shutter_max": "1/500"}, ["bird", "street"]),
    ({"shutter_min": "1"}, ["stars"]),
    ({"shutter_min": "20s", "shutter_max": "30"}, ["stars"]),
    ({"shutter_min": "0.002", "shutter_max": "0.04"}, ["night", "street"]),
    ({"focal_length_min": "100"}, ["bird"]),
    ({"focal_length_max": "24"}, ["night", "stars"]),
    ({"focal_length_35mm_min": "30", "focal_length_35mm_max": "60"}, ["night", "street"]),
    ({"raw": "true"}, ["bird", "night", "stars"]),
    ({"raw": "false"}, ["phone", "street"]),
    # "stars" is stored 6000 x 4000 and turned a quarter by its owner: shown portrait.
    ({"orientation": "landscape"}, ["street"]),
    ({"orientation": "portrait"}, ["night", "stars"]),
    ({"orientation": "square"}, ["bird"]),
]


def test_each_camera_setting_narrows_the_assets(user_client, photos):
    # One fixture for every case: a parametrized test would build the photos 18 times.
    for params, expected in NARROWING:
        assert names(user_client.get("/api/assets/", params)) == expected, params


def test_ranges_combine_with_each_other_and_the_other_filters(user_client, photos):
    params = {"raw": "true", "iso_min": "1000", "aperture_max": "2", "orientation": "portrait"}
    assert names(user_client.get("/api/assets/", params)) == ["night"]
    assert names(user_client.get("/api/search/", {**params, "filename": "night"})) == ["night"]
    assert names(user_client.get("/api/search/", {**params, "filename": "bird"})) == []
    assert names(user_client.get("/api/assets/", {"shutter_max": "1/100", "focal_length_min": "50"})) == ["bird"]


BAD = [
    ({"iso_min": "fast"}, "iso_min"),
    ({"iso_max": "-100"}, "iso_max"),
    ({"iso_min": "99999999999999999999"}, "iso_min"),
    ({"aperture_min": "nan"}, "aperture_min"),
    ({"aperture_max": "inf"}, "aperture_max"),
    ({"shutter_min": "1/0"}, "shutter_min"),
    ({"shutter_max": "-1/250"}, "shutter_max"),
    ({"shutter_max": "quick"}, "shutter_max"),
    ({"shutter_min": "0"}, "shutter_min"),
    ({"focal_length_min": "1e400"}, "focal_length_min"),
    ({"orientation": "diagonal"}, "orientation"),
    ({"iso_min": "800", "iso_max": "100"}, "iso_max"),
    ({"shutter_min": "1", "shutter_max": "1/250"}, "shutter_max"),
    ({"focal_length_35mm_min": "200", "focal_length_35mm_max": "50"}, "focal_length_35mm_max"),
]


def test_a_bad_value_is_a_400_naming_the_parameter(user_client, photos):
    for (params, named), url in itertools.product(BAD, ("/api/assets/", "/api/search/")):
        response = user_client.get(url, params)
        assert response.status_code == 400, (url, response.content)
        assert named in str(response.json()), (url, response.json())


def test_a_smart_album_keeps_camera_settings(user_client, photos, library):
    made = user_client.post("/api/albums/", {"title": "Long exposures", "query": {"shutter_min": "1"}}, format="json")
    assert made.status_code == 201, made.content
    rows = user_client.get(f"/api/albums/{made.json()['id']}/items/").json()["results"]
    assert [row["asset"]["id"] for row in rows] == [str(library.assets.get(path="c/stars.jpg").pk)]
    refused = user_client.post("/api/albums/", {"title": "Bad", "query": {"iso_min": "9", "iso_max": "1"}}, format="json")
    assert refused.status_code == 400 and "iso_max" in str(refused.json())
