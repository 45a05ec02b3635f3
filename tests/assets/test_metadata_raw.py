"""RAW containers built in the test: TIFF-based (DNG), CR3 (ISO-BMFF CMT boxes) and RAF (embedded JPEG)."""

import io
import struct
from datetime import UTC, datetime

import pytest
from PIL import Image

from apps.assets.metadata import MetadataError, extract
from tests.assets.test_metadata import BASE, GPS, camera_exif, gradient, rational


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def tiff_of(tags: dict) -> bytes:
    """A standalone TIFF block whose IFD0 holds `tags` (how CR3 stores each IFD)."""
    exif = Image.Exif()
    for tag, value in tags.items():
        exif[tag] = value
    return exif.tobytes()[6:]  # drop the 'Exif\0\0' prefix


def test_dng_is_read_from_its_tiff_structure(tmp_path):
    # Pillow's TIFF writer keeps IFD0 only; TIFF/EP RAWs (Kodak, early DNG) keep exposure tags there too.
    exif = camera_exif(orientation=8, gps=False)
    exif[BASE.ISOSpeedRatings], exif[BASE.FNumber] = 400, rational(5.6)
    path = tmp_path / "IMG_0001.DNG"
    gradient((120, 80)).save(path, format="TIFF", exif=exif)
    info = extract(path)
    assert (info.format, info.mime, info.kind) == ("dng", "image/x-adobe-dng", "photo")
    assert (info.camera_model, info.iso, info.f_number, info.orientation) == ("Canon EOS R5", 400, 5.6, 8)
    assert (info.width, info.height) == (80, 120)


def test_cr3_metadata_comes_from_its_cmt_boxes(tmp_path):
    cmt1 = tiff_of({BASE.Make: "Canon", BASE.Model: "Canon EOS R6", BASE.Orientation: 6})
    cmt2 = tiff_of(
        {
            BASE.DateTimeOriginal: "2023:08:01 09:10:11",
            BASE.OffsetTimeOriginal: "-04:00",
            BASE.FNumber: rational(4),
            BASE.ExposureTime: rational(0.002),
            BASE.ISOSpeedRatings: 800,
            BASE.FocalLength: rational(35),
            BASE.LensModel: "RF35mm F1.8 MACRO IS STM",
            BASE.ExifImageWidth: 6000,
            BASE.ExifImageHeight: 4000,
        }
    )
    cmt4 = tiff_of(
        {
            GPS.GPSLatitudeRef: "N",
            GPS.GPSLatitude: (rational(40), rational(26), rational(46)),
            GPS.GPSLongitudeRef: "W",
            GPS.GPSLongitude: (rational(79), rational(58), rational(56)),
        }
    )
    canon = box(
        b"uuid",
        bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")
        + box(b"CMT1", cmt1)
        + box(b"CMT2", cmt2)
        + box(b"CMT4", cmt4),
    )
    data = box(b"ftyp", b"crx \x00\x00\x00\x01crx isom") + box(b"moov", canon) + box(b"mdat", b"\x00" * 64)
    path = tmp_path / "IMG_0002.CR3"
    path.write_bytes(data)
    info = extract(path)
    assert (info.format, info.mime) == ("cr3", "image/x-canon-cr3")
    assert (info.camera_make, info.camera_model, info.lens) == (
        "Canon",
        "Canon EOS R6",
        "RF35mm F1.8 MACRO IS STM",
    )
    assert (info.f_number, info.iso, info.focal_length) == (4.0, 800, 35.0)
    assert info.exposure_time == pytest.approx(0.002)
    assert (info.width, info.height, info.orientation) == (4000, 6000, 6)
    assert info.taken_at == datetime(2023, 8, 1, 13, 10, 11, tzinfo=UTC) and info.taken_at_offset == -240
    assert info.latitude == pytest.approx(40.4461, abs=1e-3) and info.longitude == pytest.approx(
        -79.9822, abs=1e-3
    )


def test_raf_metadata_comes_from_the_embedded_jpeg(tmp_path):
    exif = camera_exif()
    exif[BASE.Make] = "FUJIFILM"
    exif.get_ifd(0x8769)[BASE.ExifImageWidth] = 6240
    exif.get_ifd(0x8769)[BASE.ExifImageHeight] = 4160
    jpeg = io.BytesIO()
    gradient().save(jpeg, format="JPEG", exif=exif)
    header = bytearray(b"FUJIFILMCCD-RAW 0201FF393001X-T4\x00".ljust(160, b"\x00"))
    struct.pack_into(">II", header, 84, len(header), len(jpeg.getvalue()))
    path = tmp_path / "DSCF0001.RAF"
    path.write_bytes(bytes(header) + jpeg.getvalue())
    info = extract(path)
    assert (info.format, info.camera_make, info.iso) == ("raf", "FUJIFILM", 400)
    assert (info.width, info.height) == (6240, 4160)


def test_raw_without_a_tiff_directory_is_an_error(tmp_path):
    path = tmp_path / "broken.nef"
    path.write_bytes(b"MM\x00*\x00\x00\x00\x08" + b"\xff" * 32)
    with pytest.raises(MetadataError, match="RAW file"):
        extract(path)
