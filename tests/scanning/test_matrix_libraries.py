"""Permission matrix of libraries and scans: owners and superadmins see them; only superadmins manage them."""

import pytest

from apps.scanning.models import ScanRun
from tests.factories import LibraryFactory
from tests.permission_matrix import ANY_SIGNED_IN, OWNER, PRIVATE_OBJECT, SUPERADMIN, Endpoint, PermissionMatrix, expect

MANAGE_VISIBLE = expect(401, 404, 403, 404, 200)  # seen by the owner, changed by the superadmin only


class TestLibraryMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/libraries/", ANY_SIGNED_IN, listed={OWNER, SUPERADMIN}),
        Endpoint("POST", "/api/libraries/", expect(401, 403, 403, 403, 201),
                 data=lambda library: {"path": library.root_path.replace("owned", "new")}),
        Endpoint("GET", "/api/libraries/browse/", expect(401, 403, 403, 403, 200)),
        Endpoint("GET", "/api/libraries/{pk}/", PRIVATE_OBJECT),
        Endpoint("PATCH", "/api/libraries/{pk}/", MANAGE_VISIBLE, data={"name": "Renamed"}),
        Endpoint("DELETE", "/api/libraries/{pk}/", expect(401, 404, 403, 404, 204)),
        Endpoint("POST", "/api/libraries/{pk}/pause/", MANAGE_VISIBLE),
        Endpoint("POST", "/api/libraries/{pk}/resume/", MANAGE_VISIBLE),
        Endpoint("POST", "/api/libraries/{pk}/scan/", expect(401, 404, 403, 404, 202), data={}),
        Endpoint("GET", "/api/libraries/{pk}/shares/", MANAGE_VISIBLE),
        Endpoint("POST", "/api/libraries/{pk}/share/", MANAGE_VISIBLE, data=lambda library: {"users": [library.owner_id]}),
        Endpoint("POST", "/api/libraries/{pk}/unshare/", MANAGE_VISIBLE, data=lambda library: {"users": [library.owner_id]}),
        Endpoint("GET", "/api/libraries/{pk}/ignored/", MANAGE_VISIBLE),
        Endpoint("POST", "/api/libraries/{pk}/include/", MANAGE_VISIBLE,
                 data=lambda library: {"ids": [library.ignored_paths.get().pk]}),
    ]

    @pytest.fixture(autouse=True)
    def library_roots(self, settings, tmp_path):
        settings.MEDIAHUB_LIBRARY_ROOTS = [str(tmp_path)]
        (tmp_path / "owned").mkdir()
        (tmp_path / "new").mkdir()
        self.root = tmp_path

    def make_object(self, owner):
        library = LibraryFactory(owner=owner, root_path=str(self.root / "owned"))
        library.ignored_paths.create(path="deleted.jpg")
        return library


class TestScanRunMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/scans/", ANY_SIGNED_IN, listed={OWNER, SUPERADMIN}),
        Endpoint("GET", "/api/scans/{pk}/", PRIVATE_OBJECT),
    ]

    def make_object(self, owner):
        return ScanRun.objects.create(library=LibraryFactory(owner=owner), state=ScanRun.State.DONE)
