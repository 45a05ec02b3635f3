"""Permission matrix of the albums API, with the album callers (viewer, contributor, stranger)."""

from apps.albums import services
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

SEES = expect(401, 404, 200, 404, 200, viewer=200, contributor=200, stranger=404)
MANAGES = expect(401, 404, 200, 404, 200, viewer=403, contributor=403, stranger=404)
DELETES = expect(401, 404, 204, 404, 204, viewer=403, contributor=403, stranger=404)
ADDS = expect(401, 404, 200, 404, 200, viewer=403, contributor=200, stranger=404)
MAKES_LINK = expect(401, 404, 201, 404, 201, viewer=403, contributor=403, stranger=404)


def item_status(expected):
    """The request is allowed; each asset still answers for itself."""

    def check(response, album, caller):
        [item] = response.json()
        assert item["status"] == expected[caller], (caller, item)

    return check


def member_id(album):
    return {"member": album.viewer_id}


class AlbumMatrix(PermissionMatrix):
    callers = CALLERS + ALBUM_CALLERS

    def make_object(self, owner):
        album = services.create_album(owner, "Matrix")
        self.asset = AssetFactory(library=LibraryFactory(owner=owner))
        services.add_items(owner, album, [self.asset.pk])
        share(album, self.users)
        album.viewer_id = self.users[VIEWER].pk
        album.asset_id = str(self.asset.pk)
        return album


class TestAlbumMatrix(AlbumMatrix):
    endpoints = [
        Endpoint(
            "GET",
            "/api/albums/",
            expect(401, 200, 200, 200, 200, viewer=200, contributor=200, stranger=200),
            listed={OWNER, SUPERADMIN, VIEWER, CONTRIBUTOR},
        ),
        Endpoint(
            "POST",
            "/api/albums/",
            expect(401, 201, 201, 201, 201, viewer=201, contributor=201, stranger=201),
            data={"title": "New"},
        ),
        Endpoint("GET", "/api/albums/{pk}/", SEES),
        Endpoint("PATCH", "/api/albums/{pk}/", MANAGES, data={"title": "Renamed"}),
        Endpoint(
            "PUT",
            "/api/albums/{pk}/",
            MANAGES,
            data={"title": "Renamed", "description": "", "sort": "manual"},
        ),
        Endpoint("DELETE", "/api/albums/{pk}/", DELETES),
        Endpoint("GET", "/api/albums/{pk}/items/", SEES),
        # Adding the owner's photo: already there for those who may; the contributor cannot add
        # what they see only through this album.
        Endpoint(
            "POST",
            "/api/albums/{pk}/items/",
            ADDS,
            data=lambda a: {"assets": [a.asset_id]},
            check=item_status({OWNER: 200, SUPERADMIN: 200, CONTRIBUTOR: 404}),
        ),
        Endpoint(
            "DELETE",
            "/api/albums/{pk}/items/",
            ADDS,
            data=lambda a: {"assets": [a.asset_id]},
            check=item_status({OWNER: 204, SUPERADMIN: 204, CONTRIBUTOR: 403}),
        ),
        Endpoint("POST", "/api/albums/{pk}/items/reorder/", MANAGES, data=lambda a: {"asset": a.asset_id}),
        Endpoint("GET", "/api/albums/{pk}/members/", SEES),
        Endpoint("POST", "/api/albums/{pk}/members/", MAKES_LINK, data={"user": "matrix-other"}),
        Endpoint(
            "PATCH",
            "/api/albums/{pk}/members/{member}/",
            MANAGES,
            url_kwargs=member_id,
            data={"role": "contributor"},
        ),
        # A viewer removing themselves is leaving the album.
        Endpoint(
            "DELETE",
            "/api/albums/{pk}/members/{member}/",
            url_kwargs=member_id,
            expect=expect(401, 404, 204, 404, 204, viewer=204, contributor=403, stranger=404),
        ),
        Endpoint("GET", "/api/albums/{pk}/links/", MANAGES),
        Endpoint("POST", "/api/albums/{pk}/links/", MAKES_LINK, data={"allow_download": False}),
    ]


class TestSmartAlbumMatrix(AlbumMatrix):
    endpoints = [
        Endpoint("POST", "/api/albums/{pk}/freeze/", MANAGES),
        Endpoint("GET", "/api/albums/{pk}/items/", SEES),
    ]

    def make_object(self, owner):
        album = services.create_album(owner, "Smart", query={"kind": "photo"})
        share(album, self.users)
        return album


class TestLinkMatrix(PermissionMatrix):
    callers = CALLERS + ALBUM_CALLERS
    PRIVATE = expect(401, 404, 200, 404, 200, viewer=404, contributor=404, stranger=404)
    endpoints = [
        Endpoint(
            "GET",
            "/api/links/",
            expect(401, 200, 200, 200, 200, viewer=200, contributor=200, stranger=200),
            listed={OWNER, SUPERADMIN},
        ),
        # Hand-picked: only photos of one's own libraries (an album member only sees this one).
        Endpoint(
            "POST",
            "/api/links/",
            expect(401, 400, 201, 400, 201, viewer=400, contributor=400, stranger=400),
            data=lambda link: {"assets": [str(link.asset_id)]},
        ),
        Endpoint(
            "POST",
            "/api/links/",
            expect(401, 400, 201, 400, 201, viewer=403, contributor=403, stranger=400),
            data=lambda link: {"album": link.album_id},
        ),
        Endpoint("GET", "/api/links/{pk}/", PRIVATE),
        Endpoint("PATCH", "/api/links/{pk}/", PRIVATE, data={"allow_download": False}),
        Endpoint(
            "DELETE",
            "/api/links/{pk}/",
            expect(401, 404, 204, 404, 204, viewer=404, contributor=404, stranger=404),
        ),
    ]

    def make_object(self, owner):
        album = services.create_album(owner, "Linked")
        asset = AssetFactory(library=LibraryFactory(owner=owner))
        services.add_items(owner, album, [asset.pk])
        share(album, self.users, stranger_asset=asset)
        link = services.create_link(owner, album=album)
        link.asset_id = asset.pk
        return link
