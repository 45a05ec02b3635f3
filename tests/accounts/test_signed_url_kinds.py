"""A signed media URL opens the kind of media it was made for, and nothing else of the file."""

import pytest
from rest_framework.test import APIClient

from apps.accounts.signed_urls import MEDIA_KINDS, sign_media, signed_media_url
from tests.assets.media_samples import asset_for, library_at, quadrant_pattern

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(tmp_path, user):
    root = tmp_path / "alice"
    root.mkdir()
    quadrant_pattern(320, 240).save(root / "photo.jpg", quality=80)
    return asset_for(library_at(root, user), "photo.jpg")


def route(asset, kind):
    return f"/api/assets/{asset.pk}/{kind}"


@pytest.mark.parametrize(
    "made_for,used_on", [(made, used) for made in MEDIA_KINDS for used in MEDIA_KINDS if made != used]
)
def test_a_url_signed_for_one_kind_does_not_fetch_another(photo, user, made_for, used_on):
    signature = signed_media_url(user, photo, made_for).split("?", 1)[1]
    response = APIClient().get(f"{route(photo, used_on)}?{signature}")
    assert response.status_code == 401
    assert "another rendition" in response.json()["detail"]


def test_a_thumbnail_link_reused_on_the_original_is_refused_but_works_for_its_thumbnail(photo, user):
    url = signed_media_url(user, photo, "thumbnail")
    client = APIClient()
    assert client.get(url).status_code == 200
    assert client.get(url.replace("/thumbnail?", "/original?")).status_code == 401


def test_a_signature_without_a_kind_opens_nothing(photo, user):
    """Signatures are bound to a kind: one made without (or for an unknown kind) is refused everywhere."""
    for kind in MEDIA_KINDS:
        response = APIClient().get(f"{route(photo, kind)}?sig={sign_media(user, photo.pk, 'everything')}")
        assert response.status_code == 401


def test_each_kind_works_with_its_own_link(photo, user):
    photo_kinds = ("thumbnail", "preview", "original")
    for kind in photo_kinds:
        assert APIClient().get(signed_media_url(user, photo, kind)).status_code == 200
