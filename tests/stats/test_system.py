"""/api/system/: version, uptime, ingest rates, ffmpeg, models and disk use, for admins."""

import pytest

from apps.stats.services import system
from mediahub.version import __version__
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_caches(settings, tmp_path):
    for name in ("THUMBNAILS_DIR", "PREVIEWS_DIR", "TRANSCODES_DIR"):
        setattr(settings, name, tmp_path / name.lower())
    system.forget_cached()
    yield
    system.forget_cached()


def test_the_report_tells_version_ingest_ffmpeg_models_and_disk(admin_client, library, settings):
    for _ in range(3):
        AssetFactory(library=library, size=2_000_000)
    thumbs = settings.THUMBNAILS_DIR / "ab"
    thumbs.mkdir(parents=True, exist_ok=True)
    (thumbs / "one.webp").write_bytes(b"x" * 1234)

    body = admin_client.get("/api/system/").json()

    assert body["version"] == __version__ and body["uptime_seconds"] > 0
    assert body["ingest"]["hour"]["files"] == 3 and body["ingest"]["hour"]["bytes"] == 6_000_000
    assert body["ingest"]["hour"]["mb_per_second"] == round(6 / 3600, 4)
    ffmpeg = body["ffmpeg"]  # the real binary
    assert ffmpeg["available"] and ffmpeg["version"].startswith("ffmpeg version")
    assert "libx264" in ffmpeg["encoders"] or "mpeg4" in ffmpeg["encoders"]
    assert isinstance(ffmpeg["hwaccels"], list)
    assert set(body["models"]) == {"faces", "clip"} and "available" in body["models"]["clip"]
    (lib,) = body["disk"]["libraries"]
    assert lib["bytes"] == 6_000_000 and body["disk"]["originals_bytes"] == 6_000_000
    assert body["disk"]["derivatives"]["thumbnails"] == {"bytes": 1234, "files": 1}
    assert body["disk"]["data_free_bytes"] > 0


def test_the_derivatives_walk_is_cached_for_a_minute(settings):
    first = system.derivatives_usage()
    folder = settings.PREVIEWS_DIR / "cd"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "late.jpg").write_bytes(b"y" * 999)
    assert system.derivatives_usage() == first
    system.forget_cached()
    assert system.derivatives_usage()["previews"]["bytes"] == first["previews"]["bytes"] + 999
