"""A scan's "Errors N": the page listing what failed and why, and "retry", which queues the failed
stages again through the pipeline's own rows (the queued task is the worker's real entry point)."""

import pytest
from django.test import override_settings
from django_q.models import OrmQ

from apps.assets.models import Asset
from apps.scanning import tasks
from apps.scanning.models import AssetStage, ScanRun
from apps.scanning.pipeline import MAX_ATTEMPTS, run_stages
from tests.factories import AssetFactory

from .stages import runs

pytestmark = pytest.mark.django_db
STAGES = "tests.scanning.stages"


@pytest.fixture
def failed_scan(library, stage_log, settings):
    settings.MEDIAHUB_PIPELINE_STAGES = [f"{STAGES}.EveryAssetStage", f"{STAGES}.FailOnBrokenStage"]
    good = AssetFactory(library=library, path="good.jpg", filename="good.jpg")
    broken = AssetFactory(library=library, path="trip/broken.jpg", filename="broken.jpg")
    for _ in range(MAX_ATTEMPTS):
        run_stages([good.pk, broken.pk])
    run = ScanRun.objects.create(
        library=library, state="done", errors=1,
        error_log=[{"path": "unreadable.jpg", "error": "PermissionError: [Errno 13] Permission denied"}],
    )
    return run, good, broken


def test_the_errors_page_lists_failed_files_with_reasons_and_links(client, user, failed_scan):
    run, good, broken = failed_scan
    client.force_login(user)  # the owner sees the list, without the retry button (not a manager)
    page = client.get(f"/scans/{run.pk}/errors/").content.decode()
    assert f'href="/photos/{broken.pk}/"' in page and "trip/broken.jpg" in page
    assert "test-fail" in page and "ValueError: cannot read broken.jpg" in page
    assert "unreadable.jpg" in page and "Permission denied" in page
    assert f"/photos/{good.pk}/" not in page
    assert "data-retry" not in page
    assert client.post(f"/scans/{run.pk}/retry/").status_code == 403


def test_the_libraries_page_links_the_error_count_to_the_list(client, user, failed_scan):
    run, _, _ = failed_scan
    client.force_login(user)
    assert f'href="/scans/{run.pk}/errors/"' in client.get("/libraries/").content.decode()


def test_retry_queues_only_the_failed_stage_of_the_failed_assets_and_the_worker_runs_it(
    client, superuser, failed_scan, stage_log, django_capture_on_commit_callbacks
):
    run, good, broken = failed_scan
    # Failed MAX_ATTEMPTS times: the pipeline alone would not try again.
    assert AssetStage.objects.get(asset=broken, stage="test-fail").attempts == MAX_ATTEMPTS
    client.force_login(superuser)
    assert "data-retry" in client.get(f"/scans/{run.pk}/errors/").content.decode()
    before = len(runs(stage_log))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/scans/{run.pk}/retry/", follow=True)
    assert "Trying 1 file again" in response.content.decode()
    queued = OrmQ.objects.get().task
    assert queued["args"][0] == [str(broken.pk)]
    with override_settings(MEDIAHUB_PIPELINE_STAGES=[f"{STAGES}.EveryAssetStage", f"{STAGES}.FailOnBrokenStage"]):
        tasks.run_stages_task(*queued["args"])
    assert runs(stage_log)[before:] == [("test-fail", str(broken.pk))]  # the done stage is not redone
    assert AssetStage.objects.get(asset=broken, stage="test-fail").attempts == 1
    assert Asset.objects.get(pk=broken.pk).status == "error"  # still broken, and listed again
