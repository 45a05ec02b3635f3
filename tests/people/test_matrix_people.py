"""Permission matrix of the people API and of the face write routes.

Person rows follow their faces: a person is visible to whoever sees one of its faces (here the
owner of the photo and the superadmin); the admin role sees nothing it was not shared.
"""

import io
import zipfile

import pytest
from PIL import Image

from apps.assets.derivatives import images
from tests.assets.media_samples import asset_for, library_at
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory
from tests.permission_matrix import (
    ANY_SIGNED_IN,
    OWNER,
    PRIVATE_OBJECT,
    SUPERADMIN,
    Endpoint,
    PermissionMatrix,
    expect,
)

PRIVATE_DELETE = expect(401, 404, 204, 404, 204)
# Ids in a body name nothing the caller cannot see: 400 "no such ...", like a wrong id.
PRIVATE_BODY_REFERENCE = expect(401, 400, 200, 400, 200)


def person_with_face(owner, name="Ada"):
    asset = AssetFactory(library=LibraryFactory(owner=owner))
    images.write_image_derivatives(Image.new("RGB", (200, 150), "tan"), asset.pk)
    person = PersonFactory(name=name, face_count=1)
    FaceFactory(asset=asset, person=person)
    return person


def is_jpeg(response, obj, caller):
    assert response["Content-Type"] == "image/jpeg" and response.content[:2] == b"\xff\xd8"


def lists_the_persons_asset(response, person, caller):
    asset_id = str(person.faces.get().asset_id)
    assert [row["id"] for row in response.json()["results"]] == [asset_id]


def renamed(response, person, caller):
    person.refresh_from_db()
    assert person.name == "Renamed" and response.json()["name"] == "Renamed"


def merged_into_partner(response, person, caller):
    assert response.json()["id"] == person.partner.pk and response.json()["face_count"] == 2


class TestPeopleMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/people/", ANY_SIGNED_IN, listed={OWNER, SUPERADMIN}),
        Endpoint("GET", "/api/people/{pk}/", PRIVATE_OBJECT),
        Endpoint("PATCH", "/api/people/{pk}/", PRIVATE_OBJECT, data={"name": "Renamed"}, check=renamed),
        Endpoint("DELETE", "/api/people/{pk}/", PRIVATE_DELETE),
        Endpoint(
            "POST",
            "/api/people/{pk}/merge",
            PRIVATE_OBJECT,
            data=lambda p: {"into": p.partner.pk},
            check=merged_into_partner,
        ),
        Endpoint(
            "POST",
            "/api/people/merge",
            PRIVATE_BODY_REFERENCE,
            data=lambda p: {"people": [p.pk], "into": p.partner.pk},
            check=merged_into_partner,
        ),
        Endpoint("GET", "/api/people/{pk}/assets/", PRIVATE_OBJECT, check=lists_the_persons_asset),
        Endpoint("GET", "/api/people/{pk}/thumbnail", PRIVATE_OBJECT, query={"size": 64}, check=is_jpeg),
        Endpoint("POST", "/api/people/{pk}/refresh-centroid", PRIVATE_OBJECT),
    ]

    def make_object(self, owner):
        person = person_with_face(owner)
        person.partner = person_with_face(owner, name="Bea")
        return person


class TestPeopleClusteringMatrix(PermissionMatrix):
    """Suggestions and smart merge answer every signed-in user over the people they see."""

    endpoints = [
        Endpoint("GET", "/api/people/merge-suggestions", ANY_SIGNED_IN),
        Endpoint("POST", "/api/people/smart-merge", ANY_SIGNED_IN, data={"max_distance": 0.3}),
    ]

    def make_object(self, owner):
        return person_with_face(owner)


def zips_the_photo(response, person, caller):
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [person.faces.get().asset.filename], caller


class TestPersonDownloadMatrix(PermissionMatrix):
    endpoints = [Endpoint("GET", "/api/people/{pk}/download/", PRIVATE_OBJECT, check=zips_the_photo)]

    @pytest.fixture(autouse=True)
    def _folder(self, library_root):
        self.root = library_root

    def make_object(self, owner):
        (self.root / "ada.jpg").write_bytes(b"ada")
        asset = asset_for(library_at(self.root, owner), "ada.jpg")
        person = PersonFactory(name="Ada", face_count=1)
        FaceFactory(asset=asset, person=person)
        return person
