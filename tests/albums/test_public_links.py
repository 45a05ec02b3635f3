"""Public links opened by a logged-out visitor: the grid, the viewer, downloads and the ZIP when
allowed, tags stripped when metadata is off, 404 for unknown or revoked, 410 when expired, and
nothing else of the instance."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from apps.albums import services
from apps.albums.models import ShareLink
from apps.assets.models import Asset
from tests.assets.media_samples import asset_for, ffmpeg, make_clip, probe

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(client):
    """Django's test client, never logged in."""
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_visitor_sees_the_grid_and_the_viewer_of_an_album(visitor, user, shared_album, real_photos):
    link = services.create_link(user, album=shared_album)
    page = visitor.get(f"/s/{link.token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Paris" in html and "2 items" in html
    for photo in real_photos[:2]:
        assert f"/s/{link.token}/{photo.pk}/thumbnail" in html
    assert str(real_photos[2].pk) not in html
    detail = visitor.get(f"/s/{link.token}/{real_photos[0].pk}/")
    assert detail.status_code == 200 and f"/s/{link.token}/{real_photos[1].pk}/" in detail.content.decode()
    assert visitor.get(f"/s/{link.token}/{real_photos[0].pk}/thumbnail").status_code == 200
    preview = visitor.get(f"/s/{link.token}/{real_photos[0].pk}/preview")
    assert preview.status_code == 200 and preview["Content-Type"].startswith("image/")
    assert ShareLink.objects.get(pk=link.pk).last_opened is not None


def test_nothing_else_is_reachable_through_a_link(visitor, user, shared_album, real_photos):
    link = services.create_link(user, album=shared_album)
    visitor.get(f"/s/{link.token}/")
    outside = real_photos[2]  # alice's, not in the album
    for suffix in ("", "thumbnail", "preview", "original"):
        assert visitor.get(f"/s/{link.token}/{outside.pk}/{suffix}").status_code == 404
    assert visitor.get("/api/assets/").status_code in (401, 403)
    assert visitor.get(f"/api/assets/{real_photos[0].pk}/thumbnail").status_code in (401, 403)
    assert visitor.get(f"/api/albums/{shared_album.pk}/").status_code in (401, 403)
    assert visitor.get("/").status_code == 302  # the photos page asks for a login


def test_unknown_and_revoked_links_are_404_and_expired_ones_410(visitor, user, shared_album, real_photos):
    assert visitor.get("/s/not-a-real-token/").status_code == 404
    link = services.create_link(user, album=shared_album, expires_at=timezone.now() + timedelta(days=1))
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    expired = visitor.get(f"/s/{link.token}/")
    assert expired.status_code == 410 and b"This link has expired" in expired.content
    assert visitor.get(f"/s/{link.token}/{real_photos[0].pk}/preview").status_code == 410
    ShareLink.objects.filter(pk=link.pk).update(expires_at=None)
    services.update_link(user, link, revoked=True)
    for path in ("", f"{real_photos[0].pk}/", f"{real_photos[0].pk}/preview", "download.zip"):
        assert visitor.get(f"/s/{link.token}/{path}").status_code == 404


def test_a_password_is_asked_once_and_wrong_ones_are_throttled(
    visitor, user, shared_album, real_photos, settings
):
    settings.MEDIAHUB_LOGIN_SLOW_AFTER = 3
    link = services.create_link(user, album=shared_album, password="open-sesame")
    asked = visitor.get(f"/s/{link.token}/")
    assert asked.status_code == 401 and b'type="password"' in asked.content and b"Paris" in asked.content
    assert str(real_photos[0].pk) not in asked.content.decode()
    assert visitor.get(f"/s/{link.token}/{real_photos[0].pk}/preview").status_code == 302
    assert visitor.post(f"/s/{link.token}/", {"password": "nope"}).status_code == 401
    opened = visitor.post(f"/s/{link.token}/", {"password": "open-sesame"})
    assert opened.status_code == 302
    assert visitor.get(f"/s/{link.token}/").status_code == 200
    assert visitor.get(f"/s/{link.token}/{real_photos[0].pk}/preview").status_code == 200
    guesser = Client()
    for _ in range(3):
        guesser.post(f"/s/{link.token}/", {"password": "guess"}, REMOTE_ADDR="10.9.9.9")
    throttled = guesser.post(f"/s/{link.token}/", {"password": "open-sesame"}, REMOTE_ADDR="10.9.9.9")
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) >= 1


def test_downloads_only_when_allowed(visitor, user, shared_album, real_photos):
    closed = services.create_link(user, album=shared_album, allow_download=False)
    page = visitor.get(f"/s/{closed.token}/{real_photos[0].pk}/").content.decode()
    assert "Download" not in page
    assert visitor.get(f"/s/{closed.token}/{real_photos[0].pk}/original").status_code == 404
    assert visitor.get(f"/s/{closed.token}/download.zip").status_code == 404
    open_link = services.create_link(user, album=shared_album)
    original = visitor.get(f"/s/{open_link.token}/{real_photos[0].pk}/original")
    assert original.status_code == 200 and "attachment" in original["Content-Disposition"]
    assert body(original) == real_photos[0].source_path().read_bytes()


def test_the_zip_holds_every_original_under_a_unique_name(visitor, user, library, library_root, real_photos):
    (library_root / "b").mkdir()
    (library_root / "b" / "IMG_0.jpg").write_bytes((library_root / "IMG_0.jpg").read_bytes())
    twin = asset_for(library, "b/IMG_0.jpg")
    link = services.create_link(user, asset_ids=[p.pk for p in real_photos] + [twin.pk], title="Trip")
    response = visitor.get(f"/s/{link.token}/download.zip")
    assert response.status_code == 200 and response.streaming
    assert 'filename="Trip.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert archive.namelist() == ["IMG_0.jpg", "IMG_1.jpg", "IMG_2.jpg", "IMG_0 (2).jpg"]
    assert archive.read("IMG_1.jpg") == (library_root / "IMG_1.jpg").read_bytes()


def exif_of(data: bytes):
    image = Image.open(io.BytesIO(data))
    return image, image.getexif()


def test_metadata_off_strips_gps_and_camera_from_everything_served(visitor, user, shared_album, real_photos):
    Asset.objects.filter(pk=real_photos[0].pk).update(orientation=6)
    link = services.create_link(user, album=shared_album, show_metadata=False)
    page = visitor.get(f"/s/{link.token}/{real_photos[0].pk}/").content.decode()
    assert "Canon" not in page and "48.85" not in page and "Location" not in page
    original = body(visitor.get(f"/s/{link.token}/{real_photos[0].pk}/original"))
    image, exif = exif_of(original)
    assert image.size == (320, 240) and image.load() is not None  # still the camera's pixels
    assert not exif.get_ifd(0x8825) and 0x010F not in exif and 0x0110 not in exif
    assert exif.get(0x0112) == 6, "the orientation stays, so the photo stays upright"
    assert b"GPSLatitude" not in original and b"Canon" not in original
    _, preview_exif = exif_of(body(visitor.get(f"/s/{link.token}/{real_photos[0].pk}/preview")))
    assert not preview_exif.get_ifd(0x8825) and 0x010F not in preview_exif
    archive = zipfile.ZipFile(io.BytesIO(body(visitor.get(f"/s/{link.token}/download.zip"))))
    for name in archive.namelist():
        assert b"Canon" not in archive.read(name) and b"GPSLatitude" not in archive.read(name)
    shown = services.create_link(user, album=shared_album, show_metadata=True)
    assert "Canon" in visitor.get(f"/s/{shown.token}/{real_photos[0].pk}/").content.decode()


def test_metadata_off_plays_and_downloads_videos_without_their_location(
    visitor, user, library, library_root, tmp_path
):
    clip = make_clip(tmp_path / "raw.mp4")
    ffmpeg(
        "-i",
        str(clip),
        "-c",
        "copy",
        "-metadata",
        "location=+48.8584+002.2945/",
        "-metadata",
        "make=Apple",
        str(library_root / "clip.mp4"),
    )
    assert "location" in probe(library_root / "clip.mp4")["format"]["tags"]
    video = asset_for(
        library,
        "clip.mp4",
        kind=Asset.Kind.VIDEO,
        mime="video/mp4",
        video_codec="h264",
        audio_codec="aac",
        has_audio=True,
    )
    link = services.create_link(user, asset_ids=[video.pk], show_metadata=False)
    for suffix in ("video", "original"):
        response = visitor.get(f"/s/{link.token}/{video.pk}/{suffix}")
        assert response.status_code == 200
        served = tmp_path / f"served-{suffix}.mp4"
        served.write_bytes(body(response))
        info = probe(served)
        tags = info["format"].get("tags", {})
        assert "location" not in tags and "make" not in tags
        assert {s["codec_type"] for s in info["streams"]} == {"video", "audio"}


def test_other_files_keep_their_originals_to_themselves_when_metadata_is_off(
    visitor, user, library, library_root
):
    (library_root / "photo.heic").write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64)
    heic = asset_for(library, "photo.heic", mime="image/heic")
    link = services.create_link(user, asset_ids=[heic.pk], show_metadata=False)
    assert visitor.get(f"/s/{link.token}/{heic.pk}/original").status_code == 404
    archive = zipfile.ZipFile(io.BytesIO(body(visitor.get(f"/s/{link.token}/download.zip"))))
    assert archive.namelist() == ["LEFT OUT.txt"] and b"photo.heic" in archive.read("LEFT OUT.txt")
