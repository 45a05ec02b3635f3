"""Permission matrix of the ZIP downloads and export copies: only who may download a photo gets
its bytes, in a ZIP or as an export (album members: tests/albums/test_matrix_shared_assets.py)."""

import io
import zipfile

import pytest

from tests.albums.conftest import gps_jpeg
from tests.assets.media_samples import asset_for, library_at
from tests.permission_matrix import PRIVATE_OBJECT, Endpoint, PermissionMatrix, expect

# Ids in a body: what the caller may not download is simply not there, so nothing left is 404.
PRIVATE_IDS = expect(401, 404, 200, 404, 200)

def ids(asset):
    return {"ids": [str(asset.pk)]}

def holds_the_photo(response, asset, caller):
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 1 and response["X-Left-Out"] == "0", caller

class TestDownloadsMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("POST", "/api/assets/download/", PRIVATE_IDS, data=ids, check=holds_the_photo),
        Endpoint("POST", "/api/assets/export/", PRIVATE_IDS, data=lambda a: {**ids(a), "max_size": 64},
                 check=holds_the_photo),
        Endpoint("GET", "/api/assets/{pk}/export/", PRIVATE_OBJECT, query={"max_size": 64}),
        Endpoint("POST", "/api/assets/{pk}/export/", PRIVATE_OBJECT, data={"format": "png", "max_size": 64}),
        Endpoint("GET", "/api/folders/download/", PRIVATE_OBJECT, data=lambda a: {"library": a.library_id},
                 check=holds_the_photo),
    ]

    @pytest.fixture(autouse=True)
    def _folder(self, library_root):
        self.root = library_root

    def make_object(self, owner):
        gps_jpeg(self.root / "photo.jpg")
        return asset_for(library_at(self.root, owner), "photo.jpg", width=320, height=240)
