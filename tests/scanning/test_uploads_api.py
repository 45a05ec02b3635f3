"""Single-file uploads (multipart POST /api/uploads/): the file lands in the uploader's own writable
library by capture time, is indexed at once, is stored once per user, and the limits say why."""

import io
import subprocess

import pytest
from blake3 import blake3
from django.utils import timezone

from apps.assets.metadata import video
from apps.assets.models import Asset
from apps.core.queue import SHORT, waiting
from apps.scanning.models import Library, Upload
from apps.scanning.uploads import storage
from tests.conftest import client_for

from .conftest import exif_jpeg

pytestmark = pytest.mark.django_db
URL = "/api/uploads/"


def post(client, content: bytes, name="photo.jpg"):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(URL, {"file": upload}, format="multipart")


def test_an_upload_lands_by_capture_time_in_the_uploaders_own_writable_library_and_is_queued_for_the_pipeline(
    user_client, user, upload_dir, django_capture_on_commit_callbacks
):
    content = exif_jpeg("2021:05:06 07:08:09")

    with django_capture_on_commit_callbacks(execute=True):
        response = post(user_client, content, "IMG_1.jpg")

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "created"
    asset = Asset.objects.get(pk=response.json()["asset"])
    library = Library.objects.get(owner=user, is_upload=True)
    assert asset.library == library and not library.read_only
    assert library.root_path == str(upload_dir.resolve() / "alice")
    assert asset.path == "2021/05/IMG_1.jpg"
    assert (upload_dir / "alice/2021/05/IMG_1.jpg").read_bytes() == content
    assert asset.content_hash == blake3(content).hexdigest() and asset.kind == "photo"
    assert waiting(SHORT) == 1  # the pipeline batch for the new asset, no scan
    assert not any(storage.partial_dir().iterdir())


def test_without_a_capture_time_the_upload_month_names_the_folder(user_client, upload_dir):
    response = post(user_client, exif_jpeg(None), "scan.jpg")

    now = timezone.localtime()
    assert Asset.objects.get(pk=response.json()["asset"]).path == f"{now:%Y}/{now:%m}/scan.jpg"


def test_the_same_bytes_again_are_a_duplicate_of_the_first_asset_and_not_stored_twice(user_client, upload_dir):
    content = exif_jpeg(seed=3)
    first = post(user_client, content, "a.jpg").json()

    again = post(user_client, content, "renamed.jpg")

    assert again.status_code == 200
    assert again.json()["status"] == "duplicate" and again.json()["asset"] == first["asset"]
    assert sorted(p.name for p in upload_dir.rglob("*.jpg")) == ["a.jpg"]
    assert Asset.objects.count() == 1


def test_a_duplicate_is_found_among_the_users_own_assets_only(user_client, other_user, upload_dir):
    content = exif_jpeg(seed=4)
    mine = post(user_client, content).json()

    theirs = post(client_for(other_user), content)

    assert theirs.status_code == 201 and theirs.json()["status"] == "created"
    assert theirs.json()["asset"] != mine["asset"]


def test_a_name_that_lies_about_the_content_is_judged_by_the_bytes(user_client, upload_dir):
    refused = post(user_client, b"%PDF-1.7\n" + b"x" * 600, "holiday.jpg")
    assert refused.status_code == 415
    assert "not a photo, video or audio" in refused.json()["detail"]

    accepted = post(user_client, exif_jpeg(seed=5), "notes.txt")
    assert accepted.status_code == 201
    assert Asset.objects.get(pk=accepted.json()["asset"]).filename == "notes.txt.jpeg"
    assert not Upload.objects.filter(state="receiving").exists()


def test_a_file_over_the_size_limit_is_413(user_client, settings, upload_dir):
    settings.MEDIAHUB_UPLOAD_MAX_BYTES = 1000

    response = post(user_client, exif_jpeg(seed=6, size=(200, 200)))

    assert response.status_code == 413
    assert "at most 1,000 bytes" in response.json()["detail"]


def test_over_the_users_quota_is_413_with_the_numbers(user_client, settings, upload_dir):
    first = exif_jpeg(seed=7)
    post(user_client, first)
    second = exif_jpeg(seed=8, size=(120, 90))
    settings.MEDIAHUB_UPLOAD_QUOTA = len(first) + 100

    response = post(user_client, second)

    assert response.status_code == 413
    detail = response.json()["detail"]
    assert f"{len(first):,} bytes used of {len(first) + 100:,}" in detail and f"needs {len(second):,}" in detail


def test_no_room_on_the_disk_is_507(user_client, upload_dir, monkeypatch):
    import shutil

    free = shutil.disk_usage(upload_dir.parent).free
    monkeypatch.setattr(storage, "FREE_SPACE_MARGIN", free)  # leave less room than any file needs

    response = post(user_client, exif_jpeg(seed=9))

    assert response.status_code == 507
    assert "not enough free disk space" in response.json()["detail"]


def test_no_file_is_400_and_anonymous_is_401(user_client, api_client, upload_dir):
    assert user_client.post(URL, {}, format="multipart").status_code == 400
    assert post(api_client, exif_jpeg()).status_code == 401


def test_capture_time_keeps_its_own_month_at_a_month_boundary(user_client, upload_dir):
    response = post(user_client, exif_jpeg("2020:12:31 23:59:59"), "nye.jpg")

    assert Asset.objects.get(pk=response.json()["asset"]).path == "2020/12/nye.jpg"


def test_a_video_lands_by_the_capture_time_in_its_container_without_starting_ffprobe(
    user_client, upload_dir, tmp_path, monkeypatch
):
    clip = tmp_path / "clip.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=1", "-pix_fmt",
         "yuv420p", "-metadata", "creation_time=2019-03-04T05:06:07Z", str(clip)], check=True, timeout=60,
    )

    def refuse(command, **kwargs):
        raise AssertionError(f"the upload started {command[0]}")

    monkeypatch.setattr(video.subprocess, "run", refuse)  # ffprobe's start alone costs 60-80 ms
    response = post(user_client, clip.read_bytes(), "clip.mp4")

    assert response.status_code == 201, response.content
    assert Asset.objects.get(pk=response.json()["asset"]).path == "2019/03/clip.mp4"


def test_a_name_whose_file_went_behind_the_indexs_back_is_not_reused(user_client, upload_dir):
    first = post(user_client, exif_jpeg("2021:05:06 07:08:09", seed=10), "same.jpg").json()
    (upload_dir / "alice/2021/05/same.jpg").unlink()  # the row stays until a scan marks it missing
    content = exif_jpeg("2021:05:07 07:08:09", seed=11)

    second = post(user_client, content, "same.jpg").json()

    asset = Asset.objects.get(pk=second["asset"])
    assert second["asset"] != first["asset"] and asset.path == "2021/05/same (2).jpg"
    assert asset.content_hash == blake3(content).hexdigest()
