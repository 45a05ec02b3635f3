"""Permission matrix of file operations: only the library's owner and a superadmin touch its files;
anyone else does not even learn the library is there (404), and touches nothing on disk."""

import pytest

from apps.scanning.models import FileOperation
from tests.assets.media_samples import asset_for
from tests.factories import LibraryFactory
from tests.permission_matrix import ANY_SIGNED_IN, OWNER, PRIVATE_OBJECT, SUPERADMIN, Endpoint, PermissionMatrix, expect

from .conftest import make_jpeg

DONE = expect(401, 404, 200, 404, 200)


def _in(**body):
    return lambda operation: {"library": operation.library_id, **body}


class TestFileOperationMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/file-operations/", ANY_SIGNED_IN, listed={OWNER, SUPERADMIN}),
        Endpoint("GET", "/api/file-operations/{pk}/", PRIVATE_OBJECT),
        Endpoint("POST", "/api/file-operations/folder/", expect(401, 404, 201, 404, 201), data=_in(path="new")),
        Endpoint("POST", "/api/file-operations/rename/", DONE, data=_in(path="a.jpg", name="b.jpg")),
        Endpoint("POST", "/api/file-operations/move/", DONE, data=_in(paths=["a.jpg"], destination="sub")),
        Endpoint("POST", "/api/file-operations/copy/", DONE, data=_in(paths=["a.jpg"], destination="sub")),
        Endpoint("POST", "/api/file-operations/flatten/", DONE, data=_in(path="")),
        Endpoint("POST", "/api/file-operations/delete/", DONE, data=_in(paths=["a.jpg"])),
    ]

    @pytest.fixture(autouse=True)
    def folder(self, tmp_path):
        self.root = tmp_path / "owned"
        self.root.mkdir()

    def make_object(self, owner):
        make_jpeg(self.root / "a.jpg", seed=1)
        make_jpeg(self.root / "sub" / "deeper" / "c.jpg", seed=2)
        library = LibraryFactory(owner=owner, root_path=str(self.root.resolve()), read_only=False)
        asset_for(library, "a.jpg")
        return FileOperation.objects.create(library=library, user=owner, kind="mkdir", state="done", destination="x")

    @pytest.mark.django_db
    def test_permission_matrix(self, matrix_case, matrix_users):
        super().test_permission_matrix(matrix_case, matrix_users)
        endpoint, caller = matrix_case
        if endpoint.method == "POST" and caller not in (OWNER, SUPERADMIN):
            assert (self.root / "a.jpg").exists() and not (self.root / "new").exists()
            assert (self.root / "sub" / "deeper" / "c.jpg").exists()
