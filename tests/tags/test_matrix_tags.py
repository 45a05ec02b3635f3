"""Permission matrix of the tags API: a user's tags are theirs alone; a file keyword is seen by
whoever sees a photo carrying it and changed by the superadmin only."""

from apps.assets.models import AssetMetadata
from apps.tags import services
from apps.tags.models import Tag
from tests.factories import AssetFactory, LibraryFactory
from tests.permission_matrix import (
    ADMIN,
    ANY_SIGNED_IN,
    OTHER,
    OWNER,
    PRIVATE_OBJECT,
    SUPERADMIN,
    Endpoint,
    PermissionMatrix,
    expect,
)

OWNER_CHANGES = expect(401, 404, 200, 404, 200)


def tagging(tag):
    return {"assets": [tag.asset_id], "tags": [tag.path]}


def only_visible_photos(response, tag, caller):
    body = response.json()
    assert body["not_found"] == (1 if caller in (OTHER, ADMIN) else 0), (caller, body)


def lists_its_tags(response, asset, caller):
    mine = ["Matrix/Other", "Matrix/Tag"] if caller == OWNER else []  # the superadmin sees their own tags only
    assert [t["path"] for t in response.json()] == mine, caller


def counts_only_visible(response, tag, caller):
    rows = {row["path"]: row for row in response.json()}
    if caller in (OWNER, SUPERADMIN):
        assert (rows[tag.path]["count"], rows[tag.path]["cover"]) == (1, tag.asset_id), caller


class TestTagMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/tags/", ANY_SIGNED_IN, listed={OWNER, SUPERADMIN}, check=counts_only_visible),
        Endpoint("POST", "/api/tags/", expect(401, 201, 201, 201, 201), data={"path": "New/Tag", "colour": "#112233"}),
        Endpoint("GET", "/api/tags/{pk}/", PRIVATE_OBJECT),
        Endpoint("PATCH", "/api/tags/{pk}/", OWNER_CHANGES, data={"path": "Renamed", "colour": "#aabbcc"}),
        Endpoint("DELETE", "/api/tags/{pk}/", expect(401, 404, 204, 404, 204)),
        Endpoint("POST", "/api/tags/{pk}/merge/", OWNER_CHANGES, data=lambda tag: {"into": tag.sibling_id}),
        # Everyone may tag the photos they see; the others' ids count as not found.
        Endpoint("POST", "/api/tags/add/", ANY_SIGNED_IN, data=tagging, check=only_visible_photos),
        Endpoint("POST", "/api/tags/remove/", ANY_SIGNED_IN, data=tagging, check=only_visible_photos),
    ]

    def make_object(self, owner):
        asset = AssetFactory(library=LibraryFactory(owner=owner))
        services.add_tags(owner, [asset.pk], ["Matrix/Tag", "Matrix/Other"])
        tag = Tag.objects.get(owner=owner, path="Matrix/Tag")
        tag.asset_id = str(asset.pk)
        tag.sibling_id = Tag.objects.get(owner=owner, path="Matrix/Other").pk
        return tag


class TestAssetTagsMatrix(PermissionMatrix):
    endpoints = [Endpoint("GET", "/api/assets/{pk}/tags/", PRIVATE_OBJECT, check=lists_its_tags)]

    def make_object(self, owner):
        asset = AssetFactory(library=LibraryFactory(owner=owner))
        services.add_tags(owner, [asset.pk], ["Matrix/Tag", "Matrix/Other"])
        return asset


class TestFileTagMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/tags/", ANY_SIGNED_IN, listed={OWNER, SUPERADMIN}),
        Endpoint("GET", "/api/tags/{pk}/", PRIVATE_OBJECT),
        Endpoint("PATCH", "/api/tags/{pk}/", expect(401, 404, 403, 404, 200), data={"colour": "#aabbcc"}),
        Endpoint("DELETE", "/api/tags/{pk}/", expect(401, 404, 403, 404, 204)),
    ]

    def make_object(self, owner):
        asset = AssetFactory(library=LibraryFactory(owner=owner))
        AssetMetadata.objects.create(asset=asset, tags={"XMP": "<dc:subject><rdf:Bag><rdf:li>Matrix keyword</rdf:li></rdf:Bag></dc:subject>"})
        services.read_file_tags([asset.pk])
        return Tag.objects.get(owner__isnull=True, path="Matrix keyword")
