"""Permission matrix of the stack routes, with the album callers: a shared album's viewer and
contributor read a stack through the members the album holds (the count leaves the rest out) and
never change it; someone who sees none of its members gets 404."""

import pytest
from PIL import Image

from apps.albums import services as albums
from apps.assets.models import Asset
from apps.assets.stacks import services as stacks
from tests.albums.matrix import share
from tests.assets.media_samples import asset_for, library_at
from tests.permission_matrix import (
    ALBUM_CALLERS,
    CALLERS,
    CONTRIBUTOR,
    PRIVATE_OBJECT,
    VIEWER,
    Endpoint,
    PermissionMatrix,
    expect,
)

SEEN = expect(401, 404, 200, 404, 200, viewer=200, contributor=200, stranger=404)
CHANGED = expect(401, 404, 200, 404, 200, viewer=403, contributor=403, stranger=404)
CREATED = expect(401, 404, 201, 404, 201, viewer=403, contributor=403, stranger=404)
GONE = expect(401, 404, 204, 404, 204, viewer=403, contributor=403, stranger=404)


def only_what_the_album_holds(response, stack, caller):
    body = response.json()
    if caller in (VIEWER, CONTRIBUTOR):
        assert body["count"] == 2, body  # the third member is not in the album
        assert {m["filename"] for m in body["members"]} == {"a.jpg", "b.jpg"}
    else:
        assert body["count"] == 3


def members(stack):
    return [str(pk) for pk in Asset.objects.filter(stack=stack).order_by("filename").values_list("pk", flat=True)]


class TestStackMatrix(PermissionMatrix):
    callers = CALLERS + ALBUM_CALLERS
    endpoints = [
        Endpoint("GET", "/api/stacks/{pk}/", SEEN, check=only_what_the_album_holds),
        Endpoint("POST", "/api/stacks/{pk}/cover/", CHANGED, data=lambda stack: {"cover": members(stack)[1]}),
        Endpoint("DELETE", "/api/stacks/{pk}/", GONE),
        Endpoint("POST", "/api/stacks/", CREATED, data=lambda stack: {"assets": members(stack)[:2]}),
        Endpoint("POST", "/api/stacks/unstack/", CHANGED, data=lambda stack: {"assets": members(stack)[:1]}),
    ]

    @pytest.fixture(autouse=True)
    def _root(self, tmp_path):
        self.root = tmp_path

    def make_object(self, owner):
        library = library_at(self.root, owner)
        assets = [asset_for(library, name) for name in ("a.jpg", "b.jpg", "c.jpg")]
        stack = stacks.join(assets, kind="burst", cover=assets[0])
        album = albums.create_album(owner, "Shared")
        albums.add_items(owner, album, [assets[0].pk, assets[1].pk])
        share(album, self.users)
        return stack


class TestStackMediaMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/assets/{pk}/motion", PRIVATE_OBJECT),
        Endpoint("GET", "/api/assets/{pk}/developed", PRIVATE_OBJECT),
    ]

    @pytest.fixture(autouse=True)
    def _root(self, tmp_path):
        self.root = tmp_path

    def make_object(self, owner):
        """A RAW still (TIFF-based, as a DNG is) paired with an H.264 clip served as it is."""
        Image.new("RGB", (32, 24), "red").save(self.root / "IMG_1.DNG", format="TIFF")
        (self.root / "IMG_1.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
        library = library_at(self.root, owner)
        still = asset_for(library, "IMG_1.DNG", mime="image/x-adobe-dng")
        clip = asset_for(library, "IMG_1.mp4", kind=Asset.Kind.VIDEO, mime="video/mp4", video_codec="h264", audio_codec="")
        stacks.join([still, clip])
        return still
