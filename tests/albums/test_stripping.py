"""Stripping tags from originals without re-encoding them."""

import io

from PIL import Image

from apps.albums import stripping
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
