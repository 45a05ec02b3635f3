"""Permission matrix of the asset API and the per-user state routes."""

from tests.factories import AssetFactory, LibraryFactory
from tests.permission_matrix import ANY_SIGNED_IN, OWNER, PRIVATE_OBJECT, SUPERADMIN, Endpoint, PermissionMatrix, expect

OWNER_CHANGES = expect(401, 404, 204, 404, 204)


def bulk_delete_item_status(response, asset, caller):
    """The request is fine for anyone signed in; each item says whether it was theirs to delete."""
    [item] = response.json()
    assert item["status"] == (204 if caller in (OWNER, SUPERADMIN) else 404), (caller, item)


class TestAssetMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/assets/", ANY_SIGNED_IN, listed={OWNER, SUPERADMIN}),
        Endpoint("GET", "/api/assets/{pk}/", PRIVATE_OBJECT),
        Endpoint("DELETE", "/api/assets/{pk}/", OWNER_CHANGES),
        Endpoint("POST", "/api/assets/{pk}/rotate/", PRIVATE_OBJECT, data={"degrees": 90}),
        Endpoint("POST", "/api/assets/{pk}/reprocess/", expect(401, 404, 202, 404, 202), data={"stages": ["metadata"]}),
        Endpoint("POST", "/api/assets/bulk-delete/", ANY_SIGNED_IN, data=lambda a: {"ids": [str(a.pk)]},
                 check=bulk_delete_item_status),
        # Metadata edits: who may change the asset; a selection is all or nothing (unseen ids: 404).
        Endpoint("POST", "/api/assets/{pk}/edit/", PRIVATE_OBJECT, data={"title": "Edited"}),
        Endpoint("POST", "/api/assets/edit/", PRIVATE_OBJECT, data=lambda a: {"ids": [str(a.pk)], "shift_seconds": 60}),
        # Per-user state: everyone's own, on assets they can see.
        Endpoint("GET", "/api/assets/{pk}/state", PRIVATE_OBJECT),
        Endpoint("PATCH", "/api/assets/{pk}/state", PRIVATE_OBJECT, data={"favorite": True, "rating": 5}),
        Endpoint("POST", "/api/assets/{pk}/state", PRIVATE_OBJECT, data={"rejected": True}),
        Endpoint("POST", "/api/assets/batch/", PRIVATE_OBJECT,
                 data=lambda a: {"ids": [str(a.pk)], "action": "rate", "rating": 3}),
    ]

    def make_object(self, owner):
        return AssetFactory(library=LibraryFactory(owner=owner))
