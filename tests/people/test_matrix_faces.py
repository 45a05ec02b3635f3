"""Permission matrix of the faces API."""

from PIL import Image

from apps.assets.derivatives import images
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, unit
from tests.permission_matrix import (
    ANY_SIGNED_IN,
    OWNER,
    PRIVATE_OBJECT,
    SUPERADMIN,
    Endpoint,
    PermissionMatrix,
    expect,
)

# Face work over the whole installation is the admin role's (roles.py: admins manage people/faces).
ADMIN_ROLE = expect(401, 403, 403, 200, 200)
ADMIN_ROLE_ACCEPTED = expect(401, 403, 403, 202, 202)
ADMIN_ROLE_NO_CONTENT = expect(401, 403, 403, 204, 204)


def face_on_owned_asset(owner):
    asset = AssetFactory(library=LibraryFactory(owner=owner))
    images.write_image_derivatives(Image.new("RGB", (200, 150), "tan"), asset.pk)
    return FaceFactory(asset=asset)


def one_face(response, asset, caller):
    assert [row["asset"] for row in response.json()] == [str(asset.pk)]


def is_jpeg_of_size(response, face, caller):
    assert response["Content-Type"] == "image/jpeg" and response.content[:2] == b"\xff\xd8"


def assigned_to_ada(response, face, caller):
    face.refresh_from_db()
    assert face.person.name == "Ada" and face.assigned_by == "user"


def no_faces_left(response, face, caller):
    assert not type(face).objects.exists()


class TestFaceMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/faces/", ANY_SIGNED_IN, listed={OWNER, SUPERADMIN}),
        Endpoint("GET", "/api/faces/{pk}/", PRIVATE_OBJECT),
        Endpoint("GET", "/api/faces/{pk}/thumbnail", PRIVATE_OBJECT, query={"size": 64}, check=is_jpeg_of_size),
        # Counts cover only what the caller sees; the backend line is the same for everyone.
        Endpoint("GET", "/api/faces/status", ANY_SIGNED_IN),
        # Changing a face needs the right to change its photo: its library's owner or a superadmin.
        Endpoint("POST", "/api/faces/{pk}/assign", PRIVATE_OBJECT, data={"name": "Ada"}, check=assigned_to_ada),
        Endpoint("POST", "/api/faces/{pk}/unassign", PRIVATE_OBJECT),
        Endpoint("POST", "/api/faces/assign", expect(401, 400, 200, 400, 200),
                 data=lambda face: {"faces": [face.pk], "name": "Ada"}),
        Endpoint("GET", "/api/faces/settings", ANY_SIGNED_IN),
        Endpoint("PATCH", "/api/faces/settings", ADMIN_ROLE, data={"min_score": 0.7}),
        Endpoint("POST", "/api/faces/detect", ADMIN_ROLE_ACCEPTED, data={"mode": "missing"}),
        Endpoint("POST", "/api/faces/stop", ADMIN_ROLE),
        Endpoint("POST", "/api/faces/clear", ADMIN_ROLE_NO_CONTENT, check=no_faces_left),
    ]

    def make_object(self, owner):
        return face_on_owned_asset(owner)


class TestAssetFacesMatrix(PermissionMatrix):
    endpoints = [Endpoint("GET", "/api/assets/{pk}/faces/", PRIVATE_OBJECT, check=one_face)]

    def make_object(self, owner):
        return face_on_owned_asset(owner).asset


class TestReclusterMatrix(PermissionMatrix):
    endpoints = [Endpoint("POST", "/api/faces/recluster", ADMIN_ROLE_ACCEPTED, data={})]

    def make_object(self, owner):
        return face_on_owned_asset(owner)


def grouped_for_owner_and_superadmin(response, face, caller):
    grouped = {row["id"] for group in response.json() for row in group["faces"]}
    assert (face.pk in grouped) is (caller in {OWNER, SUPERADMIN})


class TestFaceGroupsMatrix(PermissionMatrix):
    # Groups only hold faces the caller may change: the owner's, and every face for a superadmin.
    endpoints = [Endpoint("GET", "/api/faces/groups", ANY_SIGNED_IN, check=grouped_for_owner_and_superadmin)]

    def make_object(self, owner):
        library = LibraryFactory(owner=owner)
        twins = [FaceFactory(asset=AssetFactory(library=library), embedding=unit(1.0, 0.1 * n)) for n in range(2)]
        return twins[0]
