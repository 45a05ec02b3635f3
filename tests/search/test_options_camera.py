"""filter-options' camera-setting dimensions: ranges with their lowest and highest values and the
values taken, RAW and orientation counts, all over what the caller can see."""

import pytest

from apps.assets.models import Asset
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db

URL = "/api/search/filter-options/"
CAMERA = ["iso", "aperture", "shutter", "focal_length", "focal_length_35mm", "raw", "orientation"]


@pytest.fixture
def photos(library, other_user):
    rows = [  # iso, f, t, focal, focal35, mime, width, height, turn
        (100, 8.0, 1 / 500, 35.0, 52.0, "image/jpeg", 6000, 4000, 0),
        (100, 2.8, 1 / 500, 35.0, 52.0, "image/x-sony-arw", 6000, 4000, 90),
        (6400, 1.8, 30.0, 24.0, 36.0, "image/x-adobe-dng", 4000, 6000, 0),
        (None, None, None, None, None, "image/heic", 3000, 3000, 0),
    ]
    for n, (iso, f, t, focal, focal35, mime, width, height, turn) in enumerate(rows):
        AssetFactory(library=library, iso=iso, f_number=f, exposure_time=t, focal_length=focal,
                     focal_length_35mm=focal35, mime=mime, width=width, height=height, user_rotation=turn)
    # Bob's photo and Alice's trashed one are not hers to count.
    AssetFactory(library=LibraryFactory(owner=other_user), iso=51200, f_number=22.0, mime="image/x-canon-cr3")
    AssetFactory(library=library, iso=12800, deleted_at="2026-01-01T00:00:00Z")


def test_camera_dimensions_count_what_the_caller_sees(user_client, photos):
    response = user_client.get(URL, {"dimension": CAMERA})
    assert response.status_code == 200, response.content
    found = {d["dimension"]: d for d in response.json()}
    assert list(found) == CAMERA
    iso = found["iso"]
    assert (iso["param"], iso["max_param"], iso["min"], iso["max"]) == ("iso_min", "iso_max", 100, 6400)
    assert [(o["value"], o["label"], o["count"]) for o in iso["options"]] == [(100, "ISO 100", 2), (6400, "ISO 6400", 1)]
    assert (found["aperture"]["min"], found["aperture"]["max"]) == (1.8, 8.0)
    shutter = found["shutter"]
    assert (shutter["param"], shutter["min"], shutter["max"]) == ("shutter_min", "1/500", "30")
    assert [(o["value"], o["count"]) for o in shutter["options"]] == [("1/500", 2), ("30", 1)]
    assert found["focal_length_35mm"]["max"] == 52.0
    assert [(o["value"], o["count"]) for o in found["raw"]["options"]] == [(True, 2), (False, 2)]
    # 6000 x 4000 turned a quarter by its owner is shown portrait.
    assert [(o["value"], o["count"]) for o in found["orientation"]["options"]] == [
        ("landscape", 1), ("portrait", 2), ("square", 1)]


def test_an_option_value_filters_to_its_count(user_client, photos):
    found = {d["dimension"]: d for d in user_client.get(URL, {"dimension": CAMERA}).json()}
    for name in CAMERA:
        for option in found[name]["options"]:
            value = str(option["value"]).lower()
            params = {found[name]["param"]: value}
            if "max_param" in found[name]:
                params[found[name]["max_param"]] = value
            response = user_client.get("/api/assets/", params)
            assert response.status_code == 200, (params, response.content)
            assert len(response.json()["results"]) == option["count"], params


def test_the_other_dimensions_keep_their_shape(user_client, photos):
    [kinds] = user_client.get(URL, {"dimension": "kinds"}).json()
    assert set(kinds) == {"dimension", "param", "options"}
    [empty] = client_without_photos(user_client, URL)
    assert "min" not in empty and empty["options"] == []


def client_without_photos(client, url):
    Asset.objects.all().delete()
    return client.get(url, {"dimension": "iso"}).json()
