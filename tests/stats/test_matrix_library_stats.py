"""Permission matrix of /api/stats/...: any signed-in user gets an answer, counting only what they
see. The owner's one photo counts for the owner, the superadmin and the members of the album it is
shared through, never for the other user, an admin or a member of another album of the owner's."""

from datetime import UTC, datetime

from apps.albums import services as albums
from tests.albums.matrix import share
from tests.factories import AssetFactory, LibraryFactory
from tests.permission_matrix import (
    ALBUM_CALLERS, CALLERS, CONTRIBUTOR, OWNER, SUPERADMIN, VIEWER, Endpoint, PermissionMatrix, expect,
)

SIGNED_IN = expect(401, 200, 200, 200, 200, viewer=200, contributor=200, stranger=200)
SEES_IT = {OWNER, SUPERADMIN, VIEWER, CONTRIBUTOR}


def counted(read):
    def check(response, asset, caller):
        assert read(response.json()) == (1 if caller in SEES_IT else 0), caller
    return check


def _days(body):
    return sum(day["count"] for day in body["days"])


class TestLibraryStatsMatrix(PermissionMatrix):
    callers = CALLERS + ALBUM_CALLERS
    endpoints = [
        Endpoint("GET", "/api/stats/overview/", SIGNED_IN, check=counted(lambda body: body["total"]["count"])),
        Endpoint("GET", "/api/stats/activity/", SIGNED_IN,
                 check=counted(lambda body: sum(year["count"] for year in body["years"]))),
        Endpoint("GET", "/api/stats/calendar/", SIGNED_IN, query={"year": "2020"}, check=counted(_days)),
        Endpoint("GET", "/api/stats/gear/", SIGNED_IN,
                 check=counted(lambda body: sum(camera["count"] for camera in body["cameras"]))),
        Endpoint("GET", "/api/stats/exposure/", SIGNED_IN,
                 check=counted(lambda body: sum(bucket["count"] for bucket in body["iso"]))),
    ]

    def make_object(self, owner):
        asset = AssetFactory(library=LibraryFactory(owner=owner), taken_at=datetime(2020, 2, 2, tzinfo=UTC),
                             camera_make="Canon", camera_model="EOS 80D", iso=400)
        album = albums.create_album(owner, "Shared")
        albums.add_items(owner, album, [asset.pk])
        share(album, self.users)
        return asset
