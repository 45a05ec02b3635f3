"""Permission matrix of the faces API."""

from PIL import Image

from apps.assets.derivatives import images
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory
from tests.permission_matrix import ANY_SIGNED_IN, OWNER, PRIVATE_OBJECT, SUPERADMIN, Endpoint, PermissionMatrix


def face_on_owned_asset(owner):
    asset = AssetFactory(library=LibraryFactory(owner=owner))
    images.write_image_derivatives(Image.new("RGB", (200, 150), "tan"), asset.pk)
    return FaceFactory(asset=asset)


def one_face(response, asset, caller):
    assert [row["asset"] for row in response.json()] == [str(asset.pk)]


def is_jpeg_of_size(response, face, caller):
    assert response["Content-Type"] == "image/jpeg" and response.content[:2] == b"\xff\xd8"


class TestFaceMatrix(PermissionMatrix):
    endpoints = [
        Endpoint("GET", "/api/faces/", ANY_SIGNED_IN, listed={OWNER, SUPERADMIN}),
        Endpoint("GET", "/api/faces/{pk}/", PRIVATE_OBJECT),
        Endpoint("GET", "/api/faces/{pk}/thumbnail", PRIVATE_OBJECT, query={"size": 64}, check=is_jpeg_of_size),
        # Counts cover only what the caller sees; the backend line is the same for everyone.
        Endpoint("GET", "/api/faces/status", ANY_SIGNED_IN),
    ]

    def make_object(self, owner):
        return face_on_owned_asset(owner)


class TestAssetFacesMatrix(PermissionMatrix):
    endpoints = [Endpoint("GET", "/api/assets/{pk}/faces/", PRIVATE_OBJECT, check=one_face)]

    def make_object(self, owner):
        return face_on_owned_asset(owner).asset
