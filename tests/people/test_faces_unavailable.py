"""Without the ML stack, ingest goes on, and faces say clearly why they are unavailable."""

import pytest
from django.core.management import CommandError, call_command

from apps.assets.models import Asset
from apps.people import backends, clustering
from apps.people.models import Face, FaceJob
from apps.people.stage import FaceStage
from apps.scanning.models import AssetStage
from apps.scanning.pipeline import run_stages
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory, unit

pytestmark = pytest.mark.django_db

SCIKIT_LEARN_MISSING = "faces unavailable: face clustering needs missing Python packages: scikit-learn"


@pytest.fixture
def without_opencv(monkeypatch):
    """Simulate an install without opencv-python-headless (the only thing monkeypatched)."""
    real = backends._missing
    monkeypatch.setattr(backends, "_missing", lambda *modules: [m for m in modules if m == "cv2"] + real(*modules))


@pytest.fixture
def without_scikit_learn(monkeypatch):
    """Simulate an install without scikit-learn (the only thing monkeypatched)."""
    real = clustering._missing
    monkeypatch.setattr(clustering, "_missing", lambda module: module == "sklearn" or real(module))


def test_the_stage_steps_aside_so_ingest_goes_on(user, without_opencv):
    asset = AssetFactory(library=LibraryFactory(owner=user), status=Asset.Status.PENDING)
    assert FaceStage().applies_to(asset) is False
    report = run_stages([asset.pk], ["faces"])
    asset.refresh_from_db()
    assert (report.ran, report.failed) == (0, 0)
    assert not Face.objects.filter(asset=asset).exists()
    assert not AssetStage.objects.filter(asset=asset, stage="faces").exists()  # --missing finds it later
    assert asset.status != Asset.Status.ERROR


def test_the_status_endpoint_answers_503_with_the_reason(user_client, without_opencv):
    response = user_client.get("/api/faces/status")
    assert response.status_code == 503
    assert "cv2" in response.json()["detail"] and response.json()["available"] is False


def test_detect_faces_refuses_with_the_reason(without_opencv):
    with pytest.raises(CommandError, match="faces unavailable: yunet: missing Python packages: cv2"):
        call_command("detect_faces", "--missing")


def test_an_unknown_backend_setting_is_an_error(settings):
    settings.MEDIAHUB_FACE_BACKEND = "dlib"
    with pytest.raises(ValueError, match="MEDIAHUB_FACE_BACKEND"):
        backends.unavailable_reason()


def test_without_scikit_learn_a_recluster_is_a_503_and_merge_suggestions_still_work(
    admin_client, admin_user, library, without_scikit_learn
):
    # GIVEN an install without scikit-learn, and two people who look alike
    ada = PersonFactory(name="Ada", centroid=unit(1, 0.05))
    twin = PersonFactory(name="", centroid=unit(1, 0))
    for person in (ada, twin):
        FaceFactory(asset=AssetFactory(library=library), person=person)
    library.shared_with.add(admin_user)
    # WHEN an admin asks for a re-cluster, THEN it is refused with the reason and nothing is queued
    response = admin_client.post("/api/faces/recluster", {}, format="json")
    assert response.status_code == 503
    assert response.json()["detail"].startswith(SCIKIT_LEARN_MISSING)
    assert not FaceJob.objects.exists()
    # AND merge suggestions, which need no scikit-learn, still answer
    rows = admin_client.get("/api/people/merge-suggestions", {"max_distance": 0.1}).json()
    assert [{row["person"]["id"], row["other"]["id"]} for row in rows] == [{ada.pk, twin.pk}]


def test_recluster_faces_refuses_with_the_reason(without_scikit_learn):
    with pytest.raises(CommandError, match=SCIKIT_LEARN_MISSING):
        call_command("recluster_faces")
