"""Resumable uploads through tus 1.0 with the real tuspy client against the live server: chunked,
interrupted and resumed to a byte-identical file, checksums, termination, duplicates, limits and
the expiry of abandoned uploads."""

import base64
import hashlib
import importlib
import io
import os
from datetime import timedelta

import pytest
import requests
from blake3 import blake3
from django.apps import apps as django_apps
from django.utils import timezone
from django_q.models import Schedule
from tusclient import client as tus

from apps.accounts.tokens import create_token
from apps.assets.models import Asset
from apps.scanning import tasks
from apps.scanning.models import Upload
from apps.scanning.uploads import storage

from .conftest import exif_jpeg

pytestmark = pytest.mark.django_db(transaction=True)
TUS = {"Tus-Resumable": "1.0.0"}


def token_for(user) -> dict:
    return {"Authorization": f"Token {create_token(user, 'tus test')[1]}"}


@pytest.fixture
def endpoint(live_server):
    return f"{live_server.url}/api/uploads/tus/"


@pytest.fixture
def alice(user):
    return token_for(user)


def video_bytes(size: int, seed: int = 1) -> bytes:
    """An MP4 box header (what the type sniffing reads) then `size` pseudo-random bytes."""
    head = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    return head + hashlib.shake_256(seed.to_bytes(4, "big")).digest(size)


def uploader(endpoint, headers, content: bytes, name="clip.mp4", url=None, chunk=64 * 1024):
    return tus.TusClient(endpoint, headers=headers).uploader(
        file_stream=io.BytesIO(content), chunk_size=chunk, metadata={"filename": name}, url=url, upload_checksum=True
    )


def test_an_interrupted_upload_resumes_where_it_stopped_and_ends_byte_identical(endpoint, alice, user, upload_dir):
    content = video_bytes(700_000)
    first = uploader(endpoint, alice, content)
    first.upload(stop_at=300_000)  # the connection "drops" here
    partial = storage.partial_path(first.url.rstrip("/").rsplit("/", 1)[1])
    assert partial.stat().st_size == first.offset == 300_000
    assert not list((upload_dir / "alice").rglob("*.mp4"))  # never under its final name half-written

    resumed = uploader(endpoint, alice, content, url=first.url)  # a new client: HEAD says where to go on
    assert resumed.offset == first.offset
    resumed.upload()

    upload = Upload.objects.get()
    assert (upload.state, upload.outcome) == ("done", "created")
    asset = Asset.objects.get(pk=upload.asset_id)
    stored = upload_dir / "alice" / asset.path
    assert blake3(stored.read_bytes()).hexdigest() == blake3(content).hexdigest() == asset.content_hash
    assert not partial.exists()
    answer = requests.get(first.url, headers=alice).json()
    assert answer["status"] == "created" and answer["asset"] == str(asset.pk)


def test_the_same_file_through_tus_is_a_duplicate_named_in_the_last_answer(endpoint, alice, user, upload_dir):
    content = exif_jpeg(seed=11)
    uploader(endpoint, alice, content, "a.jpg").upload()
    again = uploader(endpoint, alice, content, "b.jpg")
    again.upload()

    final = again.request.response_headers
    first = Upload.objects.order_by("created").first()
    assert final["mediahub-upload-status"] == "duplicate" and final["mediahub-asset"] == str(first.asset_id)
    assert Asset.objects.count() == 1


def test_options_advertises_the_extensions_and_a_wrong_version_is_412(endpoint, alice, upload_dir):
    options = requests.options(endpoint, headers=alice)
    assert options.status_code == 204
    assert set(options.headers["Tus-Extension"].split(",")) >= {"creation", "termination", "checksum"}
    assert "sha1" in options.headers["Tus-Checksum-Algorithm"] and options.headers["Tus-Version"] == "1.0.0"

    wrong = requests.post(endpoint, headers={**alice, "Tus-Resumable": "0.2.2", "Upload-Length": "10"})
    assert wrong.status_code == 412 and wrong.headers["Tus-Version"] == "1.0.0"


def create(endpoint, headers, length, name="x.jpg"):
    metadata = "filename " + base64.b64encode(name.encode()).decode()
    response = requests.post(endpoint, headers={**headers, **TUS, "Upload-Length": str(length), "Upload-Metadata": metadata})
    assert response.status_code == 201, response.text
    return response.headers["Location"]


def patch(url, headers, body: bytes, offset: int, **extra):
    return requests.patch(url, data=body, headers={
        **headers, **TUS, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream", **extra
    })


def test_a_chunk_that_fails_its_checksum_is_460_and_not_kept(endpoint, alice, upload_dir):
    content = exif_jpeg(seed=12)
    url = create(endpoint, alice, len(content))
    wrong = base64.b64encode(hashlib.sha1(b"other").digest()).decode()

    refused = patch(url, alice, content[:1000], 0, **{"Upload-Checksum": f"sha1 {wrong}"})

    assert refused.status_code == 460
    assert requests.head(url, headers={**alice, **TUS}).headers["Upload-Offset"] == "0"
    right = base64.b64encode(hashlib.sha1(content[:1000]).digest()).decode()
    assert patch(url, alice, content[:1000], 0, **{"Upload-Checksum": f"sha1 {right}"}).status_code == 204


def test_a_chunk_at_the_wrong_offset_is_409(endpoint, alice, upload_dir):
    content = exif_jpeg(seed=13)
    url = create(endpoint, alice, len(content))
    assert patch(url, alice, content[:600], 0).status_code == 204

    assert patch(url, alice, content[600:], 0).status_code == 409
    assert patch(url, alice, content[600:], 600).headers["MediaHub-Upload-Status"] == "created"


def test_termination_removes_the_partial_upload(endpoint, alice, upload_dir):
    url = create(endpoint, alice, 5000)
    patch(url, alice, exif_jpeg(seed=14)[:1000], 0)

    assert requests.delete(url, headers={**alice, **TUS}).status_code == 204

    assert requests.head(url, headers={**alice, **TUS}).status_code == 404
    assert not any(storage.partial_dir().iterdir()) and not Upload.objects.exists()


def test_limits_answer_before_any_byte_is_sent(endpoint, alice, user, settings, upload_dir):
    settings.MEDIAHUB_UPLOAD_MAX_BYTES = 10_000
    too_big = requests.post(endpoint, headers={**alice, **TUS, "Upload-Length": "10001"})
    assert too_big.status_code == 413 and "at most 10,000 bytes" in too_big.json()["detail"]

    settings.MEDIAHUB_UPLOAD_QUOTA = 8_000
    create(endpoint, alice, 5_000)  # still arriving: it counts
    over = requests.post(endpoint, headers={**alice, **TUS, "Upload-Length": "5000"})
    assert over.status_code == 413 and "5,000 bytes used of 8,000" in over.json()["detail"]


def test_content_that_is_no_media_is_415_as_soon_as_its_first_bytes_arrive(endpoint, alice, upload_dir):
    url = create(endpoint, alice, 100_000, "fake.mp4")

    refused = patch(url, alice, b"MZ\x90\x00" + os.urandom(1020), 0)

    assert refused.status_code == 415 and "not a photo, video or audio" in refused.json()["detail"]
    assert not Upload.objects.exists() and not any(storage.partial_dir().iterdir())


def test_someone_elses_upload_is_404_for_every_method(endpoint, alice, other_user, upload_dir):
    url = create(endpoint, alice, 5000)
    bob = {**token_for(other_user), **TUS}

    assert requests.head(url, headers=bob).status_code == 404
    assert requests.get(url, headers=bob).status_code == 404
    assert patch(url, bob, b"\xff\xd8" + b"0" * 100, 0).status_code == 404
    assert requests.delete(url, headers=bob).status_code == 404
    assert requests.head(url, headers={**alice, **TUS}).headers["Upload-Offset"] == "0"


def test_abandoned_partial_uploads_expire_by_the_hourly_schedule(endpoint, alice, settings, upload_dir):
    url = create(endpoint, alice, 5000)
    patch(url, alice, exif_jpeg(seed=15)[:800], 0)
    fresh = create(endpoint, alice, 5000)
    Upload.objects.exclude(pk=fresh.rstrip("/").rsplit("/", 1)[1]).update(
        updated=timezone.now() - timedelta(seconds=settings.MEDIAHUB_UPLOAD_EXPIRY + 60)
    )
    # What migration 0005 creates (a transactional test's flush took the migrated row away).
    importlib.import_module("apps.scanning.migrations.0007_upload_expiry_schedule").create(django_apps, None)
    schedule = Schedule.objects.get(func="apps.scanning.tasks.expire_uploads_task")

    assert tasks.expire_uploads_task() == "1 expired upload(s) removed"

    assert schedule.schedule_type == Schedule.MINUTES and schedule.minutes == 60
    assert requests.head(url, headers={**alice, **TUS}).status_code == 404
    assert requests.head(fresh, headers={**alice, **TUS}).status_code == 200
    assert [p.name for p in storage.partial_dir().iterdir()] == [fresh.rstrip("/").rsplit("/", 1)[1]]


def test_a_browser_session_needs_the_csrf_header(live_server, user, password, upload_dir):
    session = requests.Session()
    login = session.get(f"{live_server.url}/accounts/login/")
    assert login.status_code == 200
    csrf = session.cookies["csrftoken"]
    session.post(f"{live_server.url}/accounts/login/", data={"username": "alice", "password": password,
                                                             "csrfmiddlewaretoken": csrf},
                 headers={"Referer": f"{live_server.url}/accounts/login/"})
    endpoint = f"{live_server.url}/api/uploads/tus/"
    headers = {**TUS, "Upload-Length": "1000"}

    assert session.post(endpoint, headers=headers).status_code == 403
    assert session.post(endpoint, headers={**headers, "X-CSRFToken": session.cookies["csrftoken"]}).status_code == 201
