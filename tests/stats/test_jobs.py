"""/api/jobs/: counts per job kind from the state tables, and the actions."""

import pytest
from django.utils import timezone
from django.utils.html import escape
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from apps.assets.models import Asset
from apps.core import pauses
from apps.core.queue import SHORT, waiting
from apps.people.models import FaceJob
from apps.scanning import services as scanning
from apps.scanning import tasks
from apps.scanning.models import AssetStage, FileOperation, FileOperationItem, ScanRun
from apps.scanning.pipeline import MAX_ATTEMPTS, run_stages
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db

# Named like the real stages, so the job kinds map onto them; they only log.
PIPELINE = [f"tests.stats.stages.{name}" for name in ("Metadata", "Thumbnail", "Preview")]


@pytest.fixture
def pipeline(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("STAGE_LOG", str(tmp_path / "stages.log"))
    settings.MEDIAHUB_PIPELINE_STAGES = PIPELINE


def kind(body, name):
    return next(k for k in body["kinds"] if k["name"] == name)


def stage_row(asset, stage, **fields):
    return AssetStage.objects.create(asset=asset, stage=stage, **fields)


def test_counts_per_kind_come_from_the_stage_table(admin_client, library, pipeline):
    now = timezone.now()
    done = AssetFactory.create_batch(3, library=library)
    for asset in done:
        stage_row(asset, "thumbnail", done_at=now)
    broken = AssetFactory(library=library, path="x/broken.jpg", status=Asset.Status.ERROR)
    stage_row(broken, "thumbnail", error="OSError: truncated file\ntraceback", attempts=MAX_ATTEMPTS)
    AssetFactory.create_batch(2, library=library, status=Asset.Status.PENDING)  # not reached yet

    body = admin_client.get("/api/jobs/").json()

    thumbnails = kind(body, "thumbnails")
    assert (thumbnails["done"], thumbnails["failed"], thumbnails["queued"], thumbnails["running"]) == (3, 1, 2, 0)
    (failure,) = thumbnails["latest_failures"]
    assert failure["asset"] == str(broken.pk) and failure["error"] == "OSError: truncated file"
    assert kind(body, "faces")["configured"] is False  # not in this pipeline
    assert set(body["queues"]) == {"short", "long", "ml"}


def test_retry_failed_queues_only_the_failed_assets_even_out_of_attempts(admin_client, library, pipeline):
    good = AssetFactory(library=library)
    stage_row(good, "metadata", done_at=timezone.now())
    broken = AssetFactory(library=library, status=Asset.Status.ERROR)
    stage_row(broken, "metadata", error="ValueError: no", attempts=MAX_ATTEMPTS)

    response = admin_client.post("/api/jobs/metadata/run/", {"action": "failed"}, format="json")

    assert response.status_code == 202 and response.json() == {"kind": "metadata", "action": "failed", "queued": 1}
    (task,) = [SignedPackage.loads(row.payload) for row in OrmQ.objects.all()]
    assert task["args"][:3] == ([str(broken.pk)], ["metadata"], True)  # forced past MAX_ATTEMPTS
    tasks.run_stages_task(*task["args"])
    assert AssetStage.objects.get(asset=broken, stage="metadata").done_at is not None


def test_run_missing_skips_assets_whose_stage_is_done(admin_client, library, pipeline):
    done = AssetFactory(library=library)
    stage_row(done, "preview", done_at=timezone.now())
    AssetFactory.create_batch(2, library=library, status=Asset.Status.PENDING)
    AssetFactory(library=library, kind=Asset.Kind.AUDIO)  # previews are for photos

    response = admin_client.post("/api/jobs/previews/run/", {"action": "missing"}, format="json")

    assert response.status_code == 202 and response.json()["queued"] == 2


def test_a_paused_stage_is_not_run_and_resuming_queues_what_waited(admin_client, library, pipeline):
    asset = AssetFactory(library=library, status=Asset.Status.PENDING)

    assert admin_client.post("/api/jobs/thumbnails/pause/").json()["paused"] is True
    run_stages([asset.pk])

    assert set(AssetStage.objects.filter(asset=asset).values_list("stage", flat=True)) == {"metadata", "preview"}
    asset.refresh_from_db()
    assert asset.status == Asset.Status.PENDING
    body = admin_client.get("/api/jobs/").json()
    assert kind(body, "thumbnails")["paused"] and kind(body, "thumbnails")["queued"] == 1
    refused = admin_client.post("/api/jobs/thumbnails/run/", {"action": "all"}, format="json")
    assert refused.status_code == 409

    resumed = admin_client.post("/api/jobs/thumbnails/resume/")
    assert resumed.status_code == 202 and resumed.json() == {"kind": "thumbnails", "paused": False, "queued": 1}
    assert waiting(SHORT) == 1
    (task,) = [SignedPackage.loads(row.payload) for row in OrmQ.objects.all()]
    tasks.run_stages_task(*task["args"])
    asset.refresh_from_db()
    assert asset.status == Asset.Status.READY


def test_a_queued_scan_waits_while_scans_are_paused_and_runs_on_resume(admin_client, library):
    assert admin_client.post("/api/jobs/scans/pause/").status_code == 202
    run = scanning.start_scan(library)

    assert scanning.run_queued_scan(run.pk) is None
    run.refresh_from_db()
    assert run.state == ScanRun.State.QUEUED
    OrmQ.objects.all().delete()  # the task the worker took and dropped

    assert admin_client.post("/api/jobs/scans/resume/").json()["queued"] == 1
    (task,) = [SignedPackage.loads(row.payload) for row in OrmQ.objects.all()]
    tasks.scan_library_task(*task["args"])
    run.refresh_from_db()
    assert run.state == ScanRun.State.DONE


def test_duplicate_finding_skipped_while_paused_is_queued_again_on_resume(admin_client):
    from apps.assets.duplicates.tasks import find_duplicates_task

    admin_client.post("/api/jobs/duplicates/pause/")
    assert find_duplicates_task() == "duplicate finding is paused; skipped"
    assert admin_client.post("/api/jobs/duplicates/resume/").json()["queued"] == 1
    assert not pauses.all_paused()


def test_unknown_kinds_and_actions_are_refused(admin_client):
    assert admin_client.post("/api/jobs/nothing/run/", {"action": "all"}, format="json").status_code == 404
    assert admin_client.post("/api/jobs/uploads/run/", {"action": "all"}, format="json").status_code == 400
    assert admin_client.post("/api/jobs/metadata/run/", {"action": "everything"}, format="json").status_code == 400
    assert admin_client.post("/api/jobs/face_jobs/pause/").status_code == 400


def test_new_uploads_are_refused_while_uploads_are_paused(admin_client, user):
    from apps.core.errors import Unavailable
    from apps.scanning.uploads import services as uploads

    admin_client.post("/api/jobs/uploads/pause/")
    with pytest.raises(Unavailable):
        uploads.start(user, "IMG_1.jpg", 1000)
    admin_client.post("/api/jobs/uploads/resume/")
    assert uploads.start(user, "IMG_1.jpg", 1000).length == 1000


def test_file_operations_are_a_kind_with_their_counts_and_latest_failures_for_admins_only(
    admin_client, user_client, client, admin_user, library, user
):
    now = timezone.now()
    FileOperation.objects.create(library=library, user=user, kind="move", state="running")
    FileOperation.objects.create(library=LibraryFactory(owner=user), user=user, kind="copy", state="queued")
    FileOperation.objects.bulk_create([FileOperation(library=library, kind="rename", state="done") for _ in range(2)])
    FileOperation.objects.create(
        library=library, kind="move", state="failed", finished=now,
        error="1 step(s) could not be done; the first: a.jpg: 'a.jpg' already exists there",
    )
    crashed = FileOperation.objects.create(library=library, kind="copy", state="failed", finished=now)
    FileOperationItem.objects.create(operation=crashed, seq=0, step="copy", source="b.jpg", target="c/b.jpg",
                                     state="failed", error="No space left on device")

    body = admin_client.get("/api/jobs/").json()

    operations = kind(body, "file_operations")
    assert (operations["queued"], operations["running"], operations["failed"], operations["done"]) == (1, 1, 2, 2)
    assert (operations["actions"], operations["pausable"], operations["queue"]) == ([], False, "long")
    assert [(f["operation"], f["library"], f["error"]) for f in operations["latest_failures"]] == [
        (crashed.pk, library.pk, "No space left on device"),
        (crashed.pk - 1, library.pk, "1 step(s) could not be done; the first: a.jpg: 'a.jpg' already exists there"),
    ]
    client.force_login(admin_user)
    page = client.get("/jobs/").content.decode()
    assert 'data-kind="file_operations"' in page and "No space left on device" in page
    assert f"Copy · {escape(library.name)}" in page
    german = client.get("/jobs/", headers={"accept-language": "de"}).content.decode()
    assert f"Kopieren · {escape(library.name)}" in german and f"Verschieben · {escape(library.name)}" in german
    assert admin_client.post("/api/jobs/file_operations/run/", {"action": "all"}, format="json").status_code == 400
    assert user_client.get("/api/jobs/").status_code == 403


def test_a_failed_face_job_is_named_in_the_readers_language(admin_client, client, admin_user):
    job = FaceJob.objects.create(kind=FaceJob.Kind.DETECT, state=FaceJob.State.FAILED, error="model missing")
    [failure] = kind(admin_client.get("/api/jobs/").json(), "face_jobs")["latest_failures"]
    assert (failure["label"], failure["error"]) == (f"Face detection #{job.pk}", "model missing")
    client.force_login(admin_user)
    assert f"Gesichtserkennung #{job.pk}" in client.get("/jobs/", headers={"accept-language": "de"}).content.decode()
