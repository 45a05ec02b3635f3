"""Permission matrix of the culling routes: everyone signed in reads their own series (another
user's photos and scores never appear in them) and decides on the photos they see, nobody else's."""

from datetime import datetime, timedelta, timezone

from tests.factories import AssetFactory, LibraryFactory
from tests.permission_matrix import ANY_SIGNED_IN, OWNER, SUPERADMIN, Endpoint, PermissionMatrix, expect

NOON = datetime(2024, 6, 2, 12, 0, tzinfo=timezone.utc)


def series_shown_to_whoever_sees_it(response, asset, caller):
    shown = {m["id"] for series in response.json()["results"] for m in series["members"]}
    assert (str(asset.pk) in shown) is (caller in (OWNER, SUPERADMIN)), shown


class TestCullingMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/culling/series/", ANY_SIGNED_IN, check=series_shown_to_whoever_sees_it),
        Endpoint("POST", "/api/culling/decisions/", expect(401, 404, 200, 404, 200),
                 data=lambda asset: {"reject": [str(asset.pk)]}),
    ]

    def make_object(self, owner):
        """Two shots of one camera three seconds apart: a series."""
        library = LibraryFactory(owner=owner)
        first = AssetFactory(library=library, taken_at=NOON, camera_model="X100V", phash=0, quality=40)
        AssetFactory(library=library, taken_at=NOON + timedelta(seconds=3), camera_model="X100V", phash=1, quality=70)
        return first
