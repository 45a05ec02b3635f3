"""Stripping tags from originals without re-encoding them, and the streamed ZIP."""

import io
import zipfile

from PIL import Image

from apps.albums import stripping
from apps.core import zipstream
from tests.albums.conftest import gps_jpeg


def test_a_jpeg_keeps_its_pixels_and_orientation_and_loses_its_tags_and_trailer(tmp_path):
    source = gps_jpeg(tmp_path / "a.jpg")
    source.write_bytes(source.read_bytes() + b"MOTION-PHOTO-TRAILER with Canon tags")
    cleaned = b"".join(stripping.jpeg_without_tags(source, orientation=8))
    image = Image.open(io.BytesIO(cleaned))
    assert image.getexif().get(0x0112) == 8 and 0x010F not in image.getexif()
    assert not image.getexif().get_ifd(0x8825)
    assert b"GPSLatitude" not in cleaned and b"TRAILER" not in cleaned and cleaned.endswith(b"\xff\xd9")
    original = Image.open(source)
    assert image.tobytes() == original.tobytes(), "same decoded pixels: nothing re-encoded"


def test_a_png_loses_its_text_and_exif_chunks(tmp_path):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("GPS", "48.85,2.29")
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    Image.new("RGB", (8, 8), "red").save(tmp_path / "a.png", pnginfo=info, exif=exif.tobytes())
    cleaned = b"".join(stripping.png_without_tags(tmp_path / "a.png"))
    image = Image.open(io.BytesIO(cleaned))
    assert image.size == (8, 8) and "GPS" not in image.info and b"Canon" not in cleaned


def test_the_zip_is_valid_while_written_on_the_fly():
    entries = [("a.txt", None, [b"x" * 300_000, b"y"]), ("b.txt", None, iter([b"z"]))]
    chunks = list(zipstream.stream_zip(entries))
    assert len(chunks) > 2, "bytes leave before the archive is complete"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    assert archive.read("a.txt") == b"x" * 300_000 + b"y" and archive.read("b.txt") == b"z"


def test_names_in_a_zip_are_unique():
    unique = zipstream.UniqueNames()
    assert [unique(n) for n in ("IMG_1.jpg", "img_1.JPG", "x/IMG_1.jpg", "IMG_1 (2).jpg")] == [
        "IMG_1.jpg",
        "img_1 (2).JPG",
        "IMG_1 (3).jpg",
        "IMG_1 (2) (2).jpg",
    ]
