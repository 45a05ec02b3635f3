"""Permission matrix of a photo's text: whoever sees the photo (its owner, the superadmin, members of
an album it is shared in) gets its text and finds it by its words; nobody else gets either."""

from apps.albums import services as albums
from apps.search.ocr import engine, reading
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

from .helpers import indexed

WORD = "Quetzalcoatl"


def the_text(response, asset, caller):
    assert [line["text"] for line in response.json()["lines"]] == [WORD], caller


class TestPhotoTextMatrix(PermissionMatrix):
    callers = CALLERS + ALBUM_CALLERS
    endpoints = [
        Endpoint("GET", "/api/assets/{pk}/text/", expect(401, 404, 200, 404, 200, viewer=200, contributor=200,
                                                         stranger=404), check=the_text),
        Endpoint("GET", "/api/search/", expect(401, 200, 200, 200, 200, viewer=200, contributor=200, stranger=200),
                 query={"q": WORD.lower()}, listed={OWNER, SUPERADMIN, VIEWER, CONTRIBUTOR}),
    ]

    def make_object(self, owner):
        photo = indexed(library=LibraryFactory(owner=owner), path="m/sign.jpg")
        reading.store([(photo, [engine.Line(WORD, 0.97, [[0.1, 0.1], [0.5, 0.1], [0.5, 0.2], [0.1, 0.2]])])])
        album = albums.create_album(owner, "Signs")
        albums.add_items(owner, album, [photo.pk])
        share(album, self.users)
        return photo
