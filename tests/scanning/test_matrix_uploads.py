"""Permission matrix of uploads: anyone signed in may upload; an upload in progress is its uploader's
alone (another user, an admin and even a superadmin get 404 for every method)."""

import pytest

from apps.scanning.uploads import services
from tests.permission_matrix import Endpoint, PermissionMatrix, expect

UPLOADER_ONLY_OK = expect(401, 404, 200, 404, 404)


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.MEDIAHUB_UPLOAD_DIR = tmp_path / "uploads"


class TestFileUploadMatrix(PermissionMatrix):
    # The matrix posts no file: every signed-in caller reaches the view and is told the file is missing
    # (tests/scanning/test_uploads_api.py uploads real ones).
    endpoints = [Endpoint("POST", "/api/uploads/", expect(401, 400, 400, 400, 400))]


class TestTusMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("POST", "/api/uploads/tus/", expect(401, 201, 201, 201, 201)),
        Endpoint("GET", "/api/uploads/tus/{pk}/", UPLOADER_ONLY_OK),
        Endpoint("HEAD", "/api/uploads/tus/{pk}/", UPLOADER_ONLY_OK),
        Endpoint("PATCH", "/api/uploads/tus/{pk}/", expect(401, 404, 204, 404, 404)),
        Endpoint("DELETE", "/api/uploads/tus/{pk}/", expect(401, 404, 204, 404, 404)),
    ]

    def client_for(self, user):
        client = super().client_for(user)
        # What a tus client sends with every request; an empty PATCH at offset 0 appends nothing.
        client.credentials(
            HTTP_TUS_RESUMABLE="1.0.0", HTTP_UPLOAD_LENGTH="1000", HTTP_UPLOAD_OFFSET="0",
            CONTENT_TYPE="application/offset+octet-stream",
        )
        return client

    def make_object(self, owner):
        return services.start(owner, "photo.jpg", 1000)
