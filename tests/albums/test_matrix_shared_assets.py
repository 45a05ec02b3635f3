"""The asset and media routes for the album callers: an asset in an album shared with you is yours
to see (and download where the album allows), never to change; a member of another album sees
nothing of it."""

import pytest

from apps.albums import services
from tests.albums.conftest import gps_jpeg
from tests.albums.matrix import share
from tests.assets.media_samples import asset_for, library_at
from tests.permission_matrix import (
    ALBUM_CALLERS,
    CALLERS,
    CONTRIBUTOR,
    OWNER,
    SUPERADMIN,
    VIEWER,
    Endpoint,
    PermissionMatrix,
    expect,
)

SEEN = expect(401, 404, 200, 404, 200, viewer=200, contributor=200, stranger=404)
NOT_CHANGED = expect(401, 404, 200, 404, 200, viewer=403, contributor=403, stranger=404)


def no_faces_for_members(response, asset, caller):
    if caller in (VIEWER, CONTRIBUTOR):
        assert response.json() == []


class SharedAssetMatrix(PermissionMatrix):
    callers = CALLERS + ALBUM_CALLERS
    allow_download = True

    @pytest.fixture(autouse=True)
    def library_root(self, tmp_path):
        self.root = tmp_path / "library"
        self.root.mkdir()

    def make_object(self, owner):
        gps_jpeg(self.root / "photo.jpg")
        asset = asset_for(library_at(self.root, owner), "photo.jpg", width=320, height=240)
        album = services.create_album(owner, "Shared", allow_download=self.allow_download)
        services.add_items(owner, album, [asset.pk])
        share(album, self.users)
        return asset


class TestAssetsThroughAlbumsMatrix(SharedAssetMatrix):
    endpoints = [
        Endpoint(
            "GET",
            "/api/assets/",
            expect(401, 200, 200, 200, 200, viewer=200, contributor=200, stranger=200),
            listed={OWNER, SUPERADMIN, VIEWER, CONTRIBUTOR},
        ),
        Endpoint("GET", "/api/assets/{pk}/", SEEN),
        Endpoint(
            "DELETE",
            "/api/assets/{pk}/",
            expect(401, 404, 204, 404, 204, viewer=403, contributor=403, stranger=404),
        ),
        Endpoint("POST", "/api/assets/{pk}/rotate/", NOT_CHANGED, data={"degrees": 90}),
        Endpoint("POST", "/api/assets/{pk}/edit/", NOT_CHANGED, data={"title": "Not theirs"}),
        Endpoint("POST", "/api/assets/edit/", NOT_CHANGED, data=lambda a: {"ids": [str(a.pk)], "latitude": 1, "longitude": 2}),
        Endpoint("GET", "/api/assets/{pk}/faces/", SEEN, check=no_faces_for_members),
        Endpoint("GET", "/api/assets/{pk}/thumbnail", SEEN),
        Endpoint("GET", "/api/assets/{pk}/preview", SEEN),
        Endpoint("GET", "/api/assets/{pk}/original", SEEN),
        Endpoint("GET", "/api/assets/{pk}/export/", SEEN, query={"max_size": 64}),
        Endpoint("POST", "/api/assets/download/", SEEN, data=lambda asset: {"ids": [str(asset.pk)]}),
        Endpoint(
            "GET",
            "/api/search/",
            expect(401, 200, 200, 200, 200, viewer=200, contributor=200, stranger=200),
            listed={OWNER, SUPERADMIN, VIEWER, CONTRIBUTOR},
        ),
    ]


class TestOriginalsOfAnAlbumWithoutDownloadsMatrix(SharedAssetMatrix):
    allow_download = False
    endpoints = [
        Endpoint(
            "GET",
            "/api/assets/{pk}/original",
            expect(401, 404, 200, 404, 200, viewer=403, contributor=403, stranger=404),
        ),
        Endpoint(
            "GET",
            "/api/assets/{pk}/export/",
            expect(401, 404, 200, 404, 200, viewer=403, contributor=403, stranger=404),
        ),
        # Ids in a body: a photo the caller may not download is left out, and nothing left is 404.
        Endpoint(
            "POST",
            "/api/assets/export/",
            expect(401, 404, 200, 404, 200, viewer=404, contributor=404, stranger=404),
            data=lambda asset: {"ids": [str(asset.pk)]},
        ),
        Endpoint("GET", "/api/assets/{pk}/preview", SEEN),
    ]
