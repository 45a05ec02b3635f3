"""Running face work from the API: detection jobs (start, 409, stop, batches), clear, settings.

The worker is not started here: tasks are checked as queued rows (ORM broker) and then run by
calling the task function, as a worker would."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_q.models import OrmQ
from PIL import Image

from apps.assets.derivatives import images
from apps.assets.models import Asset
from apps.people import backends, tasks
from apps.people.models import Face, FaceJob, FaceRejection, Person
from apps.people.services import faces_applicable
from apps.people.services.face_settings import current, overrides
from apps.scanning.models import AssetStage
from tests.factories import AssetFactory
from tests.people.factories import FaceFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend_available():
    reason = backends.unavailable_reason()
    if reason:
        pytest.skip(f"faces unavailable here: {reason}")


@pytest.fixture
def detect(admin_client, django_capture_on_commit_callbacks):
    """POST /api/faces/detect as an admin. Tasks are queued when the request's transaction commits;
    tests run inside one, so the callbacks run here as a commit would run them."""

    def start(mode="missing"):
        with django_capture_on_commit_callbacks(execute=True):
            return admin_client.post("/api/faces/detect", {"mode": mode}, format="json")

    return start


@pytest.mark.usefixtures("backend_available")
def test_detection_queues_what_is_missing_in_batches_and_a_second_start_is_a_409(
    admin_client, library, settings, detect
):
    settings.MEDIAHUB_STAGE_BATCH_SIZE = 2
    photos = [AssetFactory(library=library) for _ in range(5)]
    AssetFactory(library=library, kind=Asset.Kind.AUDIO)
    AssetFactory(library=library, status=Asset.Status.MISSING)
    AssetStage.objects.create(asset=photos[0], stage="faces", done_at=timezone.now())

    response = detect()
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["queued"] == 4 and body["job"]["batches_total"] == 2 and body["job"]["state"] == "running"
    assert OrmQ.objects.count() == 2
    again = detect("all")
    assert again.status_code == 409 and "already running" in again.json()["detail"]
    status = admin_client.get("/api/faces/status").json()
    assert status["running"] is True and status["queue_depth"] == 2
    assert status["jobs"]["detect"]["id"] == body["job"]["id"]


@pytest.mark.usefixtures("backend_available")
def test_all_means_every_photo_again(admin_client, library, detect):
    done = AssetFactory(library=library)
    AssetStage.objects.create(asset=done, stage="faces", done_at=timezone.now())
    assert detect("all").json()["queued"] == 1
    assert detect("some").status_code == 400


@pytest.mark.usefixtures("backend_available")
def test_stop_makes_queued_batches_skip_and_frees_the_next_start(admin_client, library, detect):
    asset = AssetFactory(library=library)
    job_id = detect().json()["job"]["id"]
    response = admin_client.post("/api/faces/stop")
    assert response.status_code == 200 and [j["id"] for j in response.json()["stopped"]] == [job_id]
    assert FaceJob.objects.get(pk=job_id).state == "stopped"
    status = admin_client.get("/api/faces/status").json()
    assert (status["running"], status["queue_depth"]) == (False, 0)
    # The worker later picks up the batch that was queued: it does nothing.
    assert "skipped" in tasks.detect_faces_batch(job_id, [str(asset.pk)], False)
    assert not AssetStage.objects.filter(asset=asset, stage="faces").exists()
    assert detect().status_code == 202


@pytest.mark.usefixtures("backend_available")
def test_the_last_batch_runs_the_faces_stage_and_finishes_the_job(admin_client, library, detect):
    asset = AssetFactory(library=library)
    images.write_image_derivatives(Image.new("RGB", (320, 240), "tan"), asset.pk)
    job_id = detect().json()["job"]["id"]
    tasks.detect_faces_batch(job_id, [str(asset.pk)], False)
    assert AssetStage.objects.get(asset=asset, stage="faces").done_at is not None
    job = FaceJob.objects.get(pk=job_id)
    assert (job.state, job.batches_done) == ("done", 1) and job.finished
    assert admin_client.get("/api/faces/status").json()["running"] is False


@pytest.mark.usefixtures("backend_available")
def test_the_detect_command_inline_records_its_run_as_a_finished_face_job(library, capsys):
    # GIVEN a photo with a preview and no faces stage done
    asset = AssetFactory(library=library)
    images.write_image_derivatives(Image.new("RGB", (320, 240), "tan"), asset.pk)
    # WHEN `detect_faces --inline` runs
    call_command("detect_faces", "--inline")
    # THEN the run is one detect job, done, and the faces stage ran on the photo
    job = FaceJob.objects.get()
    counts = (job.kind, job.state, job.assets_total, job.batches_done, job.batches_total)
    assert counts == ("detect", "done", 1, 1, 1)
    assert job.finished and job.params == {"mode": "missing"}
    assert AssetStage.objects.get(asset=asset, stage="faces").done_at is not None
    assert f"face job {job.pk}: done" in capsys.readouterr().out


@pytest.mark.usefixtures("backend_available")
def test_the_detect_command_and_the_api_share_one_job_so_neither_starts_twice(
    library, detect, django_capture_on_commit_callbacks
):
    # GIVEN detection queued from the command line
    AssetFactory(library=library)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("detect_faces", "--all")
    job = FaceJob.objects.get()
    assert (job.state, job.params, OrmQ.objects.count()) == ("running", {"mode": "all"}, 1)
    # WHEN the API or the command asks for detection again, THEN both are told it runs
    response = detect()
    assert response.status_code == 409 and f"job {job.pk}" in response.json()["detail"]
    with pytest.raises(CommandError, match="already running"):
        call_command("detect_faces", "--inline")


@pytest.mark.usefixtures("backend_available")
def test_the_detect_command_names_a_bad_asset_id():
    with pytest.raises(CommandError, match="asset ids are UUIDs"):
        call_command("detect_faces", "--asset", "not-a-uuid")


def test_detection_without_a_backend_is_a_503_with_the_reason(admin_client, library, monkeypatch, detect):
    real = backends._missing
    monkeypatch.setattr(
        backends, "_missing", lambda *modules: [m for m in modules if m == "cv2"] + real(*modules)
    )
    response = detect()
    assert response.status_code == 503 and "cv2" in response.json()["detail"]
    assert not FaceJob.objects.exists()


def test_clear_forgets_faces_people_rejections_and_the_faces_stage(admin_client, library):
    asset = AssetFactory(library=library)
    person = PersonFactory()
    face = FaceFactory(asset=asset, person=person)
    Person.objects.filter(pk=person.pk).update(cover_face=face)
    FaceRejection.objects.create(face=FaceFactory(asset=asset, x=100), person=person)
    AssetStage.objects.create(asset=asset, stage="faces", done_at=timezone.now())
    AssetStage.objects.create(asset=asset, stage="thumbnail", done_at=timezone.now())
    assert admin_client.post("/api/faces/clear").status_code == 204
    assert not (Face.objects.exists() or Person.objects.exists() or FaceRejection.objects.exists())
    assert list(AssetStage.objects.values_list("stage", flat=True)) == ["thumbnail"]


@pytest.mark.usefixtures("backend_available")
def test_clear_is_a_409_while_detection_runs(admin_client, library, detect):
    FaceFactory(asset=AssetFactory(library=library))
    detect()
    response = admin_client.post("/api/faces/clear")
    assert response.status_code == 409 and "stop it first" in response.json()["detail"]
    assert Face.objects.count() == 1


def test_settings_start_from_the_environment(admin_client, settings):
    settings.MEDIAHUB_FACE_MIN_SCORE = 0.55
    body = admin_client.get("/api/faces/settings").json()
    assert body["min_score"] == 0.55 and body["defaults"]["min_score"] == 0.55
    assert set(body) >= {
        "min_size",
        "excluded_extensions",
        "max_distance",
        "min_neighbours",
        "min_cluster_size",
        "algorithm",
        "merge_distance",
    }


def test_saved_settings_override_the_defaults_until_reset(admin_client, settings, library):
    settings.MEDIAHUB_FACE_MIN_SCORE = 0.6
    response = admin_client.patch(
        "/api/faces/settings",
        {"min_score": 0.8, "min_size": 40, "excluded_extensions": ["PNG", ".gif"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["excluded_extensions"] == ["gif", "png"]
    assert (current().min_score, current().min_size) == (0.8, 40)
    assert faces_applicable(AssetFactory(library=library, path="a/b.PNG")) is False
    assert faces_applicable(AssetFactory(library=library, path="a/b.jpg")) is True
    admin_client.patch("/api/faces/settings", {"min_score": None}, format="json")
    assert (current().min_score, current().min_size) == (0.6, 40)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"min_score": 1.5}, "min_score"),
        ({"min_size": 0}, "min_size"),
        ({"max_distance": "far"}, "max_distance"),
        ({"algorithm": "kmeans"}, "algorithm"),
        ({"excluded_extensions": ["no dots or spaces"]}, "excluded_extensions"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_setting_is_a_400_naming_the_field(admin_client, change, field):
    change = {"min_size": 30, **change}  # a good value beside the bad one is not saved either
    response = admin_client.patch("/api/faces/settings", change, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert overrides() == {}  # nothing was saved
