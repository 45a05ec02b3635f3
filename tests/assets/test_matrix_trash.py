"""Permission matrix of the trash API: everyone has a trash of their own libraries, the superadmin too."""

from django.utils import timezone

from apps.assets.models import Asset
from tests.factories import AssetFactory, LibraryFactory
from tests.permission_matrix import ANY_SIGNED_IN, OWNER, Endpoint, PermissionMatrix, expect

OWNER_ONLY = expect(401, 404, 200, 404, 404)
MAY_DELETE = {OWNER}


def restored_only_by_who_may_delete(response, asset, caller):
    assert (Asset.objects.get(pk=asset.pk).deleted_at is None) is (caller in MAY_DELETE), caller
    assert response.json()["restored"] == (1 if caller in MAY_DELETE else 0)


def emptied_only_by_who_may_delete(response, asset, caller):
    assert Asset.objects.filter(pk=asset.pk).exists() is (caller not in MAY_DELETE), caller


class TestTrashMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/trash/", ANY_SIGNED_IN, listed=MAY_DELETE),
        Endpoint("POST", "/api/trash/restore/", OWNER_ONLY, data=lambda a: {"ids": [str(a.pk)]}),
        Endpoint("POST", "/api/trash/restore-all/", ANY_SIGNED_IN, check=restored_only_by_who_may_delete),
        Endpoint("POST", "/api/trash/empty/", ANY_SIGNED_IN, check=emptied_only_by_who_may_delete),
    ]

    def make_object(self, owner):
        # The other callers see nothing of it, shared or not: a trash is the deleter's own.
        library = LibraryFactory(owner=owner)
        return AssetFactory(library=library, deleted_at=timezone.now())
