"""Media endpoints over real files: who may fetch what, validators, 304s, ranges, downloads, confinement."""

import os
import shutil
from urllib.parse import quote

import pytest
from django.test import override_settings
from PIL import Image

from apps.assets.derivatives import serving
from apps.assets.derivatives.storage import Derivative, existing, path_for
from apps.assets.models import Asset
from tests.assets.media_samples import asset_for, make_clip, probe, quadrant_pattern
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")


@pytest.fixture
def photo(library, library_root):
    quadrant_pattern(800, 600).save(library_root / "photo.jpg", quality=90)
    return asset_for(library, "photo.jpg", content_hash="ab" * 32)


@pytest.fixture
def clip(library_root, photo):
    make_clip(library_root / "clip.mp4", seconds=2)
    return asset_for(
        photo.library,
        "clip.mp4",
        kind=Asset.Kind.VIDEO,
        mime="video/mp4",
        video_codec="h264",
        audio_codec="aac",
        duration=2.0,
        has_audio=True,
    )


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- who may see it -------------------------------------------------------------------------------------

ENDPOINTS = ["thumbnail", "preview", "original"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_permission_matrix(api_client, photo, user, other_user, superuser, endpoint):
    url = f"/api/assets/{photo.pk}/{endpoint}"
    assert api_client.get(url).status_code == 401, "anonymous"
    api_client.force_authenticate(other_user)
    assert api_client.get(url).status_code == 404, "another user's asset reads as unknown"
    api_client.force_authenticate(user)
    assert api_client.get(url).status_code == 200, "owner"
    api_client.force_authenticate(superuser)
    assert api_client.get(url).status_code == 200, "admin"


def test_a_library_shared_with_the_user_is_served(api_client, photo, other_user):
    photo.library.shared_with.add(other_user)
    api_client.force_authenticate(other_user)
    assert api_client.get(f"/api/assets/{photo.pk}/thumbnail").status_code == 200


def test_unknown_ids_are_404_and_a_trashed_photo_shows_only_to_who_may_restore_it(
    user_client, api_client, photo, other_user
):
    from django.utils import timezone

    assert user_client.get("/api/assets/00000000-0000-4000-8000-000000000000/thumbnail").status_code == 404
    photo.library.shared_with.add(other_user)
    Asset.objects.filter(pk=photo.pk).update(deleted_at=timezone.now())
    assert user_client.get(f"/api/assets/{photo.pk}/thumbnail").status_code == 200  # the Trash page's tile
    api_client.force_authenticate(other_user)
    assert api_client.get(f"/api/assets/{photo.pk}/original").status_code == 404


# --- images ---------------------------------------------------------------------------------------------


def test_thumbnail_is_made_on_demand_and_served_as_webp(user_client, photo):
    assert existing(photo.pk, Derivative.THUMBNAIL) is None

    response = user_client.get(f"/api/assets/{photo.pk}/thumbnail", HTTP_ACCEPT="image/avif,image/webp,*/*")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    image = Image.open(__import__("io").BytesIO(content(response)))
    assert image.size == (256, 192)
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    assert response["Cache-Control"] == "private, no-cache"


def test_versioned_urls_are_cached_for_a_year(user_client, photo):
    response = user_client.get(f"/api/assets/{photo.pk}/preview", {"v": serving.version(photo)})
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"


def test_etag_and_last_modified_answer_304(user_client, photo):
    url = f"/api/assets/{photo.pk}/thumbnail"
    first = user_client.get(url)

    by_etag = user_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = user_client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    changed = user_client.get(url, HTTP_IF_NONE_MATCH='"something-else"')

    assert by_etag.status_code == 304 and by_etag["ETag"] == first["ETag"] and not by_etag.content
    assert by_date.status_code == 304
    assert changed.status_code == 200


def test_the_etag_changes_when_the_rendition_is_made_again(user_client, photo):
    url = f"/api/assets/{photo.pk}/preview"
    before = user_client.get(url)["ETag"]
    path = existing(photo.pk, Derivative.PREVIEW)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))

    assert user_client.get(url, HTTP_IF_NONE_MATCH=before).status_code == 200


@override_settings(MEDIAHUB_PREVIEW_FORMAT="webp")
def test_preview_content_type_follows_the_format(user_client, photo):
    assert user_client.get(f"/api/assets/{photo.pk}/preview")["Content-Type"] == "image/webp"


def test_a_corrupt_photo_is_404_with_the_reason_not_500(user_client, photo, library_root):
    (library_root / "photo.jpg").write_bytes(b"garbage" * 100)
    response = user_client.get(f"/api/assets/{photo.pk}/thumbnail")
    assert response.status_code == 404
    assert "cannot decode" in response.json()["detail"]


@needs_ffmpeg
def test_a_video_poster_that_is_not_made_yet_is_404(user_client, clip):
    response = user_client.get(f"/api/assets/{clip.pk}/thumbnail")
    assert response.status_code == 404 and "yet" in response.json()["detail"]


# --- originals ------------------------------------------------------------------------------------------


def test_original_downloads_with_its_name(user_client, photo, library_root):
    response = user_client.get(f"/api/assets/{photo.pk}/original")
    assert response.status_code == 200
    assert content(response) == (library_root / "photo.jpg").read_bytes()
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == "attachment; filename=\"photo.jpg\"; filename*=UTF-8''photo.jpg"


def test_non_ascii_names_use_rfc5987(user_client, photo, library_root):
    name = 'Été à Paris "1".jpg'
    shutil.copy(library_root / "photo.jpg", library_root / name)
    asset = asset_for(photo.library, name)

    disposition = user_client.get(f"/api/assets/{asset.pk}/original")["Content-Disposition"]

    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
    assert disposition.startswith('attachment; filename="_t_ _ Paris 1.jpg"')


@pytest.mark.parametrize("escape", ["../outside.jpg", "sub/../../outside.jpg", "/etc/passwd"])
def test_paths_that_leave_the_library_are_404_never_the_file(user_client, library_root, photo, escape):
    (library_root.parent / "outside.jpg").write_bytes(b"SECRET")
    asset = AssetFactory(library=photo.library, path=escape, filename="outside.jpg")

    for endpoint in ("original", "thumbnail", "preview"):
        response = user_client.get(f"/api/assets/{asset.pk}/{endpoint}")
        assert response.status_code == 404
        assert b"SECRET" not in content(response)


def test_a_symlink_out_of_the_library_is_404(user_client, library_root, photo):
    (library_root.parent / "secret.jpg").write_bytes(b"SECRET")
    (library_root / "link.jpg").symlink_to(library_root.parent / "secret.jpg")
    asset = asset_for(photo.library, "link.jpg")

    response = user_client.get(f"/api/assets/{asset.pk}/original")

    assert response.status_code == 404 and b"SECRET" not in content(response)


def test_a_missing_original_is_404(user_client, photo, library_root):
    (library_root / "photo.jpg").unlink()
    assert user_client.get(f"/api/assets/{photo.pk}/original").status_code == 404


# --- video and audio ------------------------------------------------------------------------------------


@needs_ffmpeg
def test_video_range_requests_return_exact_bytes(user_client, clip, library_root):
    data = (library_root / "clip.mp4").read_bytes()
    url = f"/api/assets/{clip.pk}/video"

    whole = user_client.get(url)
    part = user_client.get(url, HTTP_RANGE="bytes=100-199")
    tail = user_client.get(url, HTTP_RANGE="bytes=-50")
    open_ended = user_client.get(url, HTTP_RANGE=f"bytes={len(data) - 10}-")

    assert (
        whole.status_code == 200
        and whole["Accept-Ranges"] == "bytes"
        and whole["Content-Type"] == "video/mp4"
    )
    assert part.status_code == 206
    assert content(part) == data[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(data)}" and part["Content-Length"] == "100"
    assert part["Content-Type"] == "video/mp4"
    assert (
        content(tail) == data[-50:]
        and tail["Content-Range"] == f"bytes {len(data) - 50}-{len(data) - 1}/{len(data)}"
    )
    assert content(open_ended) == data[-10:]


@needs_ffmpeg
def test_unsatisfiable_and_stale_ranges(user_client, clip, library_root):
    size = (library_root / "clip.mp4").stat().st_size
    url = f"/api/assets/{clip.pk}/video"

    beyond = user_client.get(url, HTTP_RANGE=f"bytes={size}-")
    stale = user_client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"an-old-etag"')
    current = user_client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=user_client.get(url)["ETag"])

    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{size}"
    assert stale.status_code == 200, "If-Range with an old validator gets the whole file"
    assert current.status_code == 206


@needs_ffmpeg
def test_video_serves_the_transcode_when_there_is_one(user_client, clip):
    transcode = path_for(clip.pk, Derivative.TRANSCODE)
    transcode.parent.mkdir(parents=True, exist_ok=True)
    transcode.write_bytes(b"transcoded bytes")

    response = user_client.get(f"/api/assets/{clip.pk}/video")

    assert content(response) == b"transcoded bytes" and response["Content-Type"] == "video/mp4"


@needs_ffmpeg
def test_an_unplayable_video_is_never_transcoded_in_the_request(user_client, library_root, photo):
    make_clip(library_root / "old.avi", video_codec="mpeg4", audio_codec=None)
    asset = asset_for(photo.library, "old.avi", kind=Asset.Kind.VIDEO, video_codec="mpeg4")

    response = user_client.get(f"/api/assets/{asset.pk}/video")

    assert response.status_code == 404 and "try again later" in response.json()["detail"]
    assert existing(asset.pk, Derivative.TRANSCODE) is None


@needs_ffmpeg
def test_audio_mp3_is_extracted_once_then_cached(user_client, clip, tmp_path):
    url = f"/api/assets/{clip.pk}/audio.mp3"
    first = user_client.get(url)
    cached = existing(clip.pk, Derivative.AUDIO)
    mtime = cached.stat().st_mtime_ns

    again = user_client.get(url, HTTP_RANGE="bytes=0-1")

    assert first.status_code == 200 and first["Content-Type"] == "audio/mpeg"
    (tmp_path / "got.mp3").write_bytes(content(first))
    assert [s["codec_name"] for s in probe(tmp_path / "got.mp3")["streams"]] == ["mp3"]
    assert again.status_code == 206 and cached.stat().st_mtime_ns == mtime


def test_audio_of_a_photo_is_404(user_client, photo):
    assert user_client.get(f"/api/assets/{photo.pk}/audio.mp3").status_code == 404


def test_delete_derivatives_removes_every_rendition(user_client, photo):
    from apps.assets.derivatives.storage import delete_derivatives

    user_client.get(f"/api/assets/{photo.pk}/thumbnail")
    assert existing(photo.pk, Derivative.PREVIEW) is not None

    assert delete_derivatives([photo.pk]) == 2
    assert existing(photo.pk, Derivative.PREVIEW) is None and existing(photo.pk, Derivative.THUMBNAIL) is None


def test_a_signed_url_works_without_a_session_and_only_for_its_asset(api_client, photo, user):
    from apps.accounts.signed_urls import signed_media_url

    url = signed_media_url(user, photo, "thumbnail")
    assert api_client.get(url).status_code == 200
    forged = url.replace(str(photo.pk), "00000000-0000-4000-8000-000000000000")
    assert api_client.get(forged).status_code in (401, 403)
