"""Permission matrix of the duplicate-group and similar routes."""

from apps.assets.models import DuplicateGroup, DuplicateMember
from tests.factories import AssetFactory, LibraryFactory
from tests.permission_matrix import ANY_SIGNED_IN, OWNER, PRIVATE_OBJECT, SUPERADMIN, Endpoint, PermissionMatrix


def owned_group(owner) -> DuplicateGroup:
    library = LibraryFactory(owner=owner)
    group = DuplicateGroup.objects.create(owner=owner, kind="exact", signature=f"matrix-{owner.pk}")
    for n in range(2):
        asset = AssetFactory(library=library, content_hash="ab" * 32, size=1000 + n)
        DuplicateMember.objects.create(group=group, asset=asset, hash_match=True, is_reference=n == 1)
    return group


def summary_counts_only_visible_groups(response, group, caller):
    assert response.json()["groups"] == (1 if caller in (OWNER, SUPERADMIN) else 0), caller


class TestDuplicateMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/duplicates/", ANY_SIGNED_IN, listed={OWNER, SUPERADMIN}),
        Endpoint("GET", "/api/duplicates/summary/", ANY_SIGNED_IN, check=summary_counts_only_visible_groups),
        Endpoint("GET", "/api/duplicates/{pk}/", PRIVATE_OBJECT),
        Endpoint("POST", "/api/duplicates/{pk}/keep/", PRIVATE_OBJECT),
        Endpoint("POST", "/api/duplicates/{pk}/keep-all/", PRIVATE_OBJECT),
        Endpoint("POST", "/api/duplicates/{pk}/stack/", PRIVATE_OBJECT),
    ]

    def make_object(self, owner):
        return owned_group(owner)


class TestSimilarMatrix(PermissionMatrix):
    endpoints = [Endpoint("GET", "/api/assets/{pk}/similar", PRIVATE_OBJECT)]

    def make_object(self, owner):
        return AssetFactory(library=LibraryFactory(owner=owner), phash=12345)
