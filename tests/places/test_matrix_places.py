"""Permission matrix of the map, places and trips API: each caller's answer holds exactly what
`Asset.objects.visible_to` gives them, album-shared photos included for the album's members."""

from django.core.cache import cache

from apps.albums import services as albums
from tests.albums.matrix import share
from tests.factories import LibraryFactory
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

from .helpers import PARIS, ROME, day, located

SEES_ALL = {OWNER, SUPERADMIN}
SEES_SHARED = SEES_ALL | {VIEWER, CONTRIBUTOR}
SIGNED_IN = expect(401, 200, 200, 200, 200, viewer=200, contributor=200, stranger=200)


def shows_the_shared_photo(response, rome, caller):
    body = response.json()
    ids = {p["id"] for p in body["points"]}
    assert (str(rome.pk) in ids) is (caller in SEES_SHARED), (caller, ids)
    assert len(ids) == (7 if caller in SEES_ALL else 3 if caller in SEES_SHARED else 0), (caller, ids)


def counts_only_visible_places(response, rome, caller):
    countries = {c["code"]: c["count"] for c in response.json()["countries"]}
    expected = {"FR": 4, "IT": 3} if caller in SEES_ALL else {"IT": 3} if caller in SEES_SHARED else {}
    assert countries == expected, (caller, countries)


def trips_only_of_visible_photos(response, rome, caller):
    # Album members see the three Rome photos only: Rome is then their home, not a trip.
    names = [t["name"] for t in response.json()]
    assert names == (["Rome, April 2019"] if caller in SEES_ALL else []), (caller, names)


class TestPlacesMatrix(PermissionMatrix):
    callers = CALLERS + ALBUM_CALLERS
    endpoints = [
        Endpoint("GET", "/api/map/points/", SIGNED_IN, check=shows_the_shared_photo),
        Endpoint("GET", "/api/map/points/", SIGNED_IN, query={"bbox": "10,40,14,43", "zoom": 5},
                 check=lambda r, rome, caller: {p["id"] for p in r.json()["points"]} >= (
                     {str(rome.pk)} if caller in SEES_SHARED else set())),
        Endpoint("GET", "/api/places/", SIGNED_IN, check=counts_only_visible_places),
        Endpoint("GET", "/api/trips/", SIGNED_IN, check=trips_only_of_visible_photos),
    ]

    def make_object(self, owner):
        """Four photos at home in Paris, and three in Rome shared through an album (the object: one of them)."""
        cache.clear()
        library = LibraryFactory(owner=owner)
        for n in (0, 1, 2, 3):
            located(library, PARIS, day(n))
        rome = [located(library, ROME, day(10, hour)) for hour in (9, 12, 15)]
        album = albums.create_album(owner, "Rome")
        albums.add_items(owner, album, [a.pk for a in rome])
        share(album, self.users)
        return rome[0]
