"""/health names the face backend and whether it can run, without loading any model."""

import pytest

from apps.people import backends

pytestmark = pytest.mark.django_db


def test_health_names_the_face_backend_without_loading_it(client, settings):
    settings.MEDIAHUB_FACE_BACKEND = "yunet"
    backends._load.cache_clear()
    faces = client.get("/health").json()["faces"]
    assert faces["backend"] == "yunet"
    assert faces["available"] is (backends.unavailable_reason() is None)
    assert backends._load.cache_info().currsize == 0  # no model was loaded to answer


def test_health_gives_the_reason_faces_cannot_run_and_stays_ok(client, monkeypatch, settings):
    settings.MEDIAHUB_FACE_BACKEND = "yunet"
    real = backends._missing
    monkeypatch.setattr(
        backends, "_missing", lambda *modules: [m for m in modules if m == "cv2"] + real(*modules)
    )
    response = client.get("/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    faces = response.json()["faces"]
    assert faces["available"] is False and "cv2" in faces["reason"]


def test_health_reports_a_misspelt_backend_setting(client, settings):
    settings.MEDIAHUB_FACE_BACKEND = "dlib"
    faces = client.get("/health").json()["faces"]
    assert faces["available"] is False and "MEDIAHUB_FACE_BACKEND" in faces["reason"]
