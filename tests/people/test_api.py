"""Faces API behaviour beyond who may call it (tests/people/test_matrix_faces.py)."""

import io

import pytest
from PIL import Image

from apps.assets.derivatives import images
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def face(user):
    asset = AssetFactory(library=LibraryFactory(owner=user))
    images.write_image_derivatives(Image.new("RGB", (200, 150), "tan"), asset.pk)
    return FaceFactory(asset=asset, person=PersonFactory(name="Ada"))


def test_faces_of_an_asset_come_with_boxes_and_names(user_client, face):
    FaceFactory(asset=face.asset, x=120)
    body = user_client.get(f"/api/assets/{face.asset_id}/faces/").json()
    assert [row["box"]["x"] for row in body] == [40, 120]
    assert body[0]["box"] == {"x": 40, "y": 30, "width": 60, "height": 80}
    assert body[0]["person_name"] == "Ada" and body[1]["person"] is None
    assert body[0]["thumbnail"] == f"/api/faces/{face.pk}/thumbnail"


def test_the_face_list_filters_by_asset(user_client, face, user):
    elsewhere = FaceFactory(asset=AssetFactory(library=face.asset.library))
    rows = user_client.get("/api/faces/", {"asset": str(face.asset_id)}).json()["results"]
    assert [r["id"] for r in rows] == [face.pk]
    rows = user_client.get("/api/faces/", {"unassigned": "true"}).json()["results"]
    assert [r["id"] for r in rows] == [elsewhere.pk]


def test_list_filters_do_not_hide_a_face_named_by_its_url(user_client, face):
    assert user_client.get(f"/api/faces/{face.pk}/", {"unassigned": "true"}).status_code == 200


def test_the_face_list_costs_the_same_queries_for_many_faces(user_client, face, django_assert_max_num_queries):
    for n in range(20):
        FaceFactory(asset=face.asset, person=PersonFactory(), x=n)
    with django_assert_max_num_queries(6):
        assert len(user_client.get("/api/faces/").json()["results"]) == 21


@pytest.mark.parametrize("size", [32, 300, 1024])
def test_the_thumbnail_is_a_square_crop_of_the_asked_size(user_client, face, size):
    response = user_client.get(f"/api/faces/{face.pk}/thumbnail", {"size": size})
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).size == (size, size)


@pytest.mark.parametrize("size", ["16", "2048", "big"])
def test_a_thumbnail_size_out_of_range_is_a_400(user_client, face, size):
    response = user_client.get(f"/api/faces/{face.pk}/thumbnail", {"size": size})
    assert response.status_code == 400 and "size" in response.json()


def test_a_face_id_that_is_not_a_number_is_a_404(user_client, face):
    assert user_client.get("/api/faces/abc/").status_code == 404
    assert user_client.get("/api/faces/abc/thumbnail").status_code == 404


def test_status_names_the_backend_and_its_model_files(user_client, face):
    pytest.importorskip("cv2")
    body = user_client.get("/api/faces/status").json()
    assert body["available"] is True and body["backend"] == "yunet"
    assert any(f.endswith("face_detection_yunet_2023mar_int8bq.onnx") for f in body["model_files"])
    assert body["faces"] == 1 and body["assigned_faces"] == 1 and body["people"] == 1
    assert body["model_loaded"] is True and body["running"] is False and body["queue_depth"] == 0
