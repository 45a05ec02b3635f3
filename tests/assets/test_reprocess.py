"""POST /api/assets/{id}/reprocess/: pipeline stages run again for one asset through the stage-status
machinery, forced, whether they were done or not."""

import pytest
from django_q.models import OrmQ
from PIL import Image

from apps.scanning.models import AssetStage
from apps.scanning.pipeline import run_stages
from apps.scanning.tasks import run_stages_task
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(library, library_root):
    Image.new("RGB", (320, 200), "teal").save(library_root / "a.jpg")
    asset = AssetFactory(library=library, path="a.jpg", taken_at=None)
    run_stages([asset.pk])
    return asset


def queued_tasks():
    return [row.task for row in OrmQ.objects.all()]


def test_reprocess_queues_metadata_and_derivatives_by_default_and_the_worker_runs_them_again(
    user_client, photo, django_capture_on_commit_callbacks
):
    before = dict(AssetStage.objects.filter(asset=photo).values_list("stage", "done_at"))
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(f"/api/assets/{photo.pk}/reprocess/", {}, format="json")

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["stages"] == ["metadata", "thumbnail", "preview", "poster", "transcode"]
    [task] = queued_tasks()
    assert task["func"] == "apps.scanning.tasks.run_stages_task" and body["tasks"] == [task["id"]]

    run_stages_task(*task["args"])  # what the worker runs
    after = dict(AssetStage.objects.filter(asset=photo).values_list("stage", "done_at"))
    assert after["metadata"] > before["metadata"] and after["thumbnail"] > before["thumbnail"]
    assert after.get("faces") == before.get("faces"), "stages not asked for are left alone"


def test_reprocess_names_an_unknown_stage(user_client, photo):
    response = user_client.post(f"/api/assets/{photo.pk}/reprocess/", {"stages": ["metadata", "sharpen"]}, format="json")
    assert response.status_code == 400
    assert "'sharpen'" in str(response.json()["stages"])
    assert not OrmQ.objects.exists()


def test_reprocess_of_a_missing_file_is_a_conflict(user_client, library):
    gone = AssetFactory(library=library, status="missing")
    assert user_client.post(f"/api/assets/{gone.pk}/reprocess/", {}, format="json").status_code == 409
