"""Permission matrix of the explore reads: timeline buckets, memories and folders hold nothing the
caller cannot see (a photo shared through an album counts for its members, and opens no folder)."""

from datetime import UTC, datetime

from apps.albums import services as albums
from tests.albums.matrix import share
from tests.factories import AssetFactory, LibraryFactory
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

SEEN_BY = {OWNER, SUPERADMIN, VIEWER, CONTRIBUTOR}
SIGNED_IN = expect(401, 200, 200, 200, 200, viewer=200, contributor=200, stranger=200)
OWN_STATE = expect(401, 204, 204, 204, 204, viewer=204, contributor=204, stranger=204)
LIBRARY_ONLY = expect(401, 404, 200, 404, 200, viewer=404, contributor=404, stranger=404)
MEMORY_DAY = {"date": "2025-06-15", "year": 2020}


def counted(bucket):
    def check(response, asset, caller):
        shown = {row["bucket"]: row["count"] for row in response.json()}
        assert (shown.get(bucket) == 1) is (caller in SEEN_BY), (caller, shown)

    return check


def remembered(response, asset, caller):
    ids = {a["id"] for memory in response.json()["memories"] for a in memory["assets"]}
    assert (str(asset.pk) in ids) is (caller in SEEN_BY), (caller, ids)


def folder_listed(response, asset, caller):
    assert [(f["name"], f["count"]) for f in response.json()["folders"]] == [("2020", 1)]


class TestExploreMatrix(PermissionMatrix):
    callers = CALLERS + ALBUM_CALLERS
    endpoints = [
        Endpoint("GET", "/api/timeline/buckets/", SIGNED_IN, check=counted("2020-06")),
        Endpoint("GET", "/api/timeline/buckets/", SIGNED_IN, query={"month": "2020-06"}, check=counted("2020-06-15")),
        Endpoint("GET", "/api/timeline/buckets/", SIGNED_IN, query={"kind": "photo"}, check=counted("2020-06")),
        Endpoint("GET", "/api/memories/", SIGNED_IN, query={"date": "2025-06-15"}, check=remembered),
        Endpoint("POST", "/api/memories/hide/", OWN_STATE, data=MEMORY_DAY),
        Endpoint("DELETE", "/api/memories/hide/", OWN_STATE, data=MEMORY_DAY),
        Endpoint("GET", "/api/folders/", LIBRARY_ONLY, data=lambda a: {"library": a.library_id}, check=folder_listed),
    ]

    def make_object(self, owner):
        asset = AssetFactory(library=LibraryFactory(owner=owner), path="2020/beach.jpg",
                             taken_at=datetime(2020, 6, 15, 12, tzinfo=UTC))
        album = albums.create_album(owner, "Summer")
        albums.add_items(owner, album, [asset.pk])
        share(album, self.users)
        return asset
