"""Scanning's own helpers: small distinct JPEGs on disk, the stage log, and no real stages unless a
test registers some. The library and its folder are the shared `library` / `library_root`
(tests/conftest.py): files a test writes under `library_root` are what the scan finds."""

import io
import os

import pytest
from PIL import Image

STAGES = "tests.scanning.stages"


def jpeg_bytes(seed: int = 0, size=(16, 12)) -> bytes:
    image = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, (seed * 13) % 256))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    # Bytes after the end-of-image marker: decoders ignore them, and every file gets its own hash.
    return buffer.getvalue() + seed.to_bytes(4, "big")


def make_jpeg(path, seed: int = 0) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(jpeg_bytes(seed))


def make_tree(root, count: int, per_dir: int = 25) -> list[str]:
    """`count` distinct small JPEGs spread over folders of `per_dir`; returns their relative paths."""
    paths = []
    for i in range(count):
        relative = f"d{i // per_dir:03d}/IMG_{i:05d}.jpg"
        make_jpeg(os.path.join(root, relative), seed=i)
        paths.append(relative)
    return paths


@pytest.fixture(autouse=True)
def no_pipeline_stages_unless_asked(settings):
    """The real stages belong to other apps; these tests register their own where they need any."""
    settings.MEDIAHUB_PIPELINE_STAGES = []


@pytest.fixture
def stage_log(tmp_path, monkeypatch):
    log = tmp_path / "stages.log"
    monkeypatch.setenv("STAGE_LOG", str(log))
    return log


def exif_jpeg(taken: str | None = "2021:05:06 07:08:09", seed: int = 0, size=(64, 48)) -> bytes:
    """A JPEG with a capture time in EXIF DateTimeOriginal (none when `taken` is None)."""
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    buffer = io.BytesIO()
    Image.new("RGB", size, ((seed * 53) % 256, 90, 160)).save(buffer, "JPEG", quality=85, exif=exif.tobytes())
    return buffer.getvalue() + seed.to_bytes(4, "big")


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Uploads go to a folder of this test's own."""
    settings.MEDIAHUB_UPLOAD_DIR = tmp_path / "uploads"
    return settings.MEDIAHUB_UPLOAD_DIR
