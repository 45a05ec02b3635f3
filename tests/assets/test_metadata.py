"""Metadata extraction from photos the tests build themselves (no corpus needed)."""

import io
import os
import struct
import zlib
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction

import pillow_heif
import pytest
from PIL import ExifTags, Image, TiffImagePlugin

from apps.assets.metadata import CorruptMedia, MetadataError, UnsupportedMedia, extract
from apps.assets.metadata.apple import apple_media_group_uuid
from apps.assets.metadata.capture_time import parse_datetime, parse_offset
from apps.assets.metadata.phash import to_signed64

IFD = ExifTags.IFD
BASE = ExifTags.Base
GPS = ExifTags.GPS


def rational(value) -> TiffImagePlugin.IFDRational:
    fraction = Fraction(value).limit_denominator(100000)
    return TiffImagePlugin.IFDRational(fraction.numerator, fraction.denominator)


def camera_exif(*, offset="+02:00", gps=True, orientation=1, maker_note: bytes | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[BASE.Make] = "Canon"
    exif[BASE.Model] = "Canon EOS R5"
    exif[BASE.Orientation] = orientation
    sub = exif.get_ifd(IFD.Exif)
    sub[BASE.DateTimeOriginal] = "2024:03:10 14:15:16"
    if offset:
        sub[BASE.OffsetTimeOriginal] = offset
    sub[BASE.FNumber] = rational(2.8)
    sub[BASE.ExposureTime] = rational(Fraction(1, 250))
    sub[BASE.ISOSpeedRatings] = 400
    sub[BASE.FocalLength] = rational(50)
    sub[BASE.FocalLengthIn35mmFilm] = 50
    sub[BASE.LensModel] = "RF50mm F1.8 STM"
    if maker_note is not None:
        sub[BASE.MakerNote] = maker_note
    if gps:
        ifd = exif.get_ifd(IFD.GPSInfo)
        ifd[GPS.GPSLatitudeRef] = "S"
        ifd[GPS.GPSLatitude] = (rational(33), rational(51), rational(54))
        ifd[GPS.GPSLongitudeRef] = "W"
        ifd[GPS.GPSLongitude] = (rational(151), rational(12), rational(36))
        ifd[GPS.GPSAltitudeRef] = b"\x01"  # below sea level
        ifd[GPS.GPSAltitude] = rational(12.5)
        ifd[GPS.GPSDateStamp] = "2024:03:10"
        ifd[GPS.GPSTimeStamp] = (rational(12), rational(15), rational(16))
    return exif


def gradient(size=(64, 48)) -> Image.Image:
    image = Image.new("RGB", size)
    image.putdata(
        [((x * 4) % 256, (y * 5) % 256, (x + y) % 256) for y in range(size[1]) for x in range(size[0])]
    )
    return image


def save(tmp_path, name, image=None, **params):
    path = tmp_path / name
    (image or gradient()).save(path, **params)
    return path


def test_jpeg_camera_fields_gps_and_capture_time_with_offset(tmp_path):
    info = extract(save(tmp_path, "a.jpg", exif=camera_exif()))
    assert (info.kind, info.mime, info.format) == ("photo", "image/jpeg", "jpeg")
    assert (info.width, info.height, info.orientation) == (64, 48, 1)
    assert (info.camera_make, info.camera_model, info.lens) == ("Canon", "Canon EOS R5", "RF50mm F1.8 STM")
    assert info.f_number == pytest.approx(2.8)
    assert info.exposure_time == pytest.approx(1 / 250)
    assert (info.iso, info.focal_length, info.focal_length_35mm) == (400, 50.0, 50.0)
    assert info.latitude == pytest.approx(-(33 + 51 / 60 + 54 / 3600))
    assert info.longitude == pytest.approx(-(151 + 12 / 60 + 36 / 3600))
    assert info.altitude == pytest.approx(-12.5)
    # The wall-clock time with its offset: 14:15:16 at +02:00 is 12:15:16 UTC.
    assert info.taken_at == datetime(2024, 3, 10, 12, 15, 16, tzinfo=UTC)
    assert info.taken_at.utcoffset() == timedelta(hours=2)
    assert (info.taken_at_offset, info.taken_at_source) == (120, "exif")
    assert info.tags["EXIF"]["Image Make"] == "Canon"
    assert info.phash is not None and -(2**63) <= info.phash < 2**63


def test_exif_time_without_offset_is_stored_as_wall_time_in_utc_with_unknown_offset(tmp_path):
    info = extract(save(tmp_path, "a.jpg", exif=camera_exif(offset=None, gps=False)))
    assert info.taken_at == datetime(2024, 3, 10, 14, 15, 16, tzinfo=UTC)
    assert info.taken_at_offset is None
    assert info.taken_at_source == "exif"


def test_gps_time_is_used_when_there_is_no_exif_date(tmp_path):
    exif = camera_exif()
    del exif.get_ifd(IFD.Exif)[BASE.DateTimeOriginal]
    info = extract(save(tmp_path, "a.jpg", exif=exif))
    assert (info.taken_at, info.taken_at_offset, info.taken_at_source) == (
        datetime(2024, 3, 10, 12, 15, 16, tzinfo=UTC),
        None,
        "gps",
    )


def test_file_mtime_is_the_last_resort(tmp_path):
    path = save(tmp_path, "plain.png")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    info = extract(path)
    assert info.taken_at == datetime.fromtimestamp(1_700_000_000, UTC)
    assert (info.taken_at_source, info.taken_at_offset) == ("mtime", None)


@pytest.mark.parametrize(
    ("orientation", "displayed"), [(1, (64, 48)), (3, (64, 48)), (6, (48, 64)), (8, (48, 64))]
)
def test_width_and_height_are_as_displayed_after_exif_orientation(tmp_path, orientation, displayed):
    info = extract(save(tmp_path, "r.jpg", exif=camera_exif(orientation=orientation)))
    assert (info.width, info.height) == displayed
    assert info.orientation == orientation


def test_heic_size_is_already_displayed_and_its_exif_is_read(tmp_path):
    path = tmp_path / "a.heic"
    heif = pillow_heif.from_pillow(gradient((96, 64)))
    heif.save(path, exif=camera_exif(orientation=1).tobytes(), quality=60)
    info = extract(path)
    assert (info.format, info.mime) == ("heif", "image/heic")
    assert (info.width, info.height) == (96, 64)
    assert (info.camera_model, info.iso, info.taken_at_offset) == ("Canon EOS R5", 400, 120)
    assert info.phash is not None


def test_png_exif_chunk_and_webp_exif_are_read(tmp_path):
    for name in ("a.png", "a.webp"):
        info = extract(save(tmp_path, name, exif=camera_exif(orientation=6)))
        assert (info.camera_make, info.orientation, info.width, info.height) == ("Canon", 6, 48, 64), name


def test_content_decides_the_format_and_a_wrong_extension_is_a_warning(tmp_path):
    path = save(tmp_path, "really-a-jpeg.png", format="JPEG", exif=camera_exif())
    info = extract(path)
    assert (info.format, info.mime, info.camera_make) == ("jpeg", "image/jpeg", "Canon")
    assert info.warnings == ["content is JPEG but the file extension is '.png'"]
    assert info.tags["MediaHub"]["Warnings"] == info.warnings


def test_truncated_jpeg_is_an_error_that_keeps_the_readable_metadata(tmp_path):
    whole = save(
        tmp_path, "whole.jpg", image=gradient((640, 480)), exif=camera_exif(), quality=95
    ).read_bytes()
    path = tmp_path / "cut.jpg"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(CorruptMedia, match="truncated") as caught:
        extract(path)
    assert caught.value.info.camera_model == "Canon EOS R5"
    assert caught.value.info.taken_at_source == "exif"


def test_empty_unknown_and_missing_files_raise_clear_errors(tmp_path):
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(MetadataError, match="empty"):
        extract(empty)
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"this is not a picture at all" * 10)
    with pytest.raises(UnsupportedMedia, match="unrecognised content"):
        extract(junk)
    with pytest.raises(MetadataError, match="cannot read"):
        extract(tmp_path / "gone.jpg")


def test_a_decompression_bomb_is_refused(tmp_path):
    data = bytearray(save(tmp_path, "small.png", image=Image.new("L", (8, 8))).read_bytes())
    # Rewrite IHDR to claim 60000 x 60000 pixels (3.6 gigapixels) and fix its CRC.
    struct.pack_into(">II", data, 16, 60000, 60000)
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])))
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(bytes(data))
    with pytest.raises(MetadataError, match="decompression bomb"):
        extract(bomb)


def apple_maker_note(uuid: str) -> bytes:
    value = uuid.encode() + b"\x00"
    entries = 1
    value_offset = 16 + entries * 12 + 4
    ifd = struct.pack(">H", entries) + struct.pack(">HHII", 0x0011, 2, len(value), value_offset) + b"\x00" * 4
    return b"Apple iOS\x00" + b"\x00\x01" + b"MM" + ifd + value


def test_apple_live_photo_id_comes_from_the_maker_note(tmp_path):
    uuid = "ED69AFC7-A2EB-4FE9-88A0-54293FC2478F"
    assert apple_media_group_uuid(b"MM\x00*" + b"\x00" * 20 + apple_maker_note(uuid)) == uuid
    info = extract(save(tmp_path, "live.jpg", exif=camera_exif(maker_note=apple_maker_note(uuid))))
    assert info.live_photo_id == uuid


GOOGLE_XMP = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:GCamera="http://ns.google.com/photos/1.0/camera/"
  xmlns:Container="http://ns.google.com/photos/1.0/container/"
  xmlns:Item="http://ns.google.com/photos/1.0/container/item/"
  GCamera:MotionPhoto="1" GCamera:MotionPhotoVersion="1">
<Container:Directory><rdf:Seq>
<rdf:li rdf:parseType="Resource">
  <Container:Item Item:Mime="image/jpeg" Item:Semantic="Primary" Item:Length="0"/></rdf:li>
<rdf:li rdf:parseType="Resource">
  <Container:Item Item:Mime="video/mp4" Item:Semantic="MotionPhoto" Item:Length="4321"/></rdf:li>
</rdf:Seq></Container:Directory></rdf:Description></rdf:RDF></x:xmpmeta>"""


def test_google_motion_photo_is_recognised_from_xmp(tmp_path):
    info = extract(save(tmp_path, "PXL_MP.jpg", xmp=GOOGLE_XMP))
    assert info.motion_photo is True
    assert info.motion_photo_offset == 4321
    assert info.tags["MediaHub"]["MotionPhotoVideoOffset"] == 4321


HOSTILE_XMP = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:GCamera="http://ns.google.com/photos/1.0/camera/"
  tiff:Orientation="\xc2\xb2" tiff:ImageWidth="\xc2\xb3" tiff:ImageLength="12"
  GCamera:MicroVideo="1" GCamera:MicroVideoOffset="99999999999999999999999"/></rdf:RDF></x:xmpmeta>"""


def test_xmp_numbers_that_are_not_plain_digits_are_ignored_not_fatal(tmp_path):
    # "\u00b2" passes str.isdigit() but int() refuses it; a 23-digit offset overflows the database.
    info = extract(save(tmp_path, "hostile.jpg", xmp=HOSTILE_XMP))
    assert info.orientation is None
    assert info.motion_photo is True
    assert info.motion_photo_offset is None
    assert (info.width, info.height) == (64, 48)


def test_samsung_motion_photo_is_recognised_from_its_trailer(tmp_path):
    jpeg = save(tmp_path, "x.jpg").read_bytes()
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100
    block = b"\x00\x00\x30\x0a" + struct.pack("<I", 16) + b"MotionPhoto_Data" + video
    directory = (
        b"SEFH" + struct.pack("<II", 106, 1) + struct.pack("<III", 0x0A300000, len(block) + 0, len(block))
    )
    # The directory entry points back from the SEFH start to the block start.
    data = jpeg + block + directory + struct.pack("<I", len(directory)) + b"SEFT"
    path = tmp_path / "20240101_samsung.jpg"
    path.write_bytes(data)
    info = extract(path)
    assert info.motion_photo is True
    assert info.motion_photo_offset == len(video) + len(directory) + 8


def test_plain_photo_is_not_a_motion_photo_nor_live(tmp_path):
    info = extract(save(tmp_path, "plain.jpg", exif=camera_exif()))
    assert (info.motion_photo, info.live_photo_id) == (False, "")


def test_phash_is_stable_for_a_resized_copy_and_differs_for_another_picture(tmp_path):
    original = gradient((400, 300))
    first = extract(save(tmp_path, "a.jpg", image=original)).phash
    resized = extract(save(tmp_path, "b.jpg", image=original.resize((200, 150)))).phash
    other = extract(save(tmp_path, "c.jpg", image=original.transpose(Image.Transpose.ROTATE_180))).phash

    def distance(a, b):
        return bin((a ^ b) & (2**64 - 1)).count("1")

    assert distance(first, resized) <= 4
    assert distance(first, other) > 10
    assert to_signed64(2**64 - 1) == -1 and to_signed64(5) == 5


@pytest.mark.parametrize(
    ("text", "wall", "offset"),
    [
        ("2020:05:04 18:44:06", datetime(2020, 5, 4, 18, 44, 6), None),
        ("2020-05-04T18:44:06.273+02:00", datetime(2020, 5, 4, 18, 44, 6, 273000), 120),
        ("2009:06:16 14:57:56Z", datetime(2009, 6, 16, 14, 57, 56), 0),
        ("2019:09:02", datetime(2019, 9, 2), None),
        ("2019-07-24T11:25:40+0300", datetime(2019, 7, 24, 11, 25, 40), 180),
    ],
)
def test_date_strings_cameras_write(text, wall, offset):
    assert parse_datetime(text) == (wall, offset)


@pytest.mark.parametrize(
    "text", ["0000:00:00 00:00:00", "    :  :     :  :  ", "", None, "2019:13:45 10:00:00"]
)
def test_blank_or_impossible_dates_are_none(text):
    assert parse_datetime(text) is None


def test_offsets():
    assert [parse_offset(t) for t in ("+05:30", "-08:00", "Z", "+0100", "+25:00", "junk")] == [
        330,
        -480,
        0,
        60,
        None,
        None,
    ]


def test_exif_block_in_memory_is_read_like_a_file():
    # The same helper reads a TIFF structure from bytes, as every container hands it over.
    from apps.assets.metadata.exif import exif_fields, read_exif, tiff_block

    raw = camera_exif().tobytes()
    fields, candidates = exif_fields(read_exif(tiff_block(b"Exif\x00\x00" + raw)))
    assert fields["camera_make"] == "Canon" and fields["iso"] == 400
    assert candidates[0].aware() == datetime(2024, 3, 10, 14, 15, 16, tzinfo=timezone(timedelta(hours=2)))
    assert tiff_block(io.BytesIO(b"").read()) is None


def test_without_decode_only_headers_and_tags_are_read(tmp_path):
    whole = save(tmp_path, "w.jpg", image=gradient((640, 480)), exif=camera_exif()).read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    info = extract(cut, decode=False)  # the broken entropy data goes unnoticed without a decode
    assert (info.camera_model, info.width, info.phash) == ("Canon EOS R5", 640, None)


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    payload = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(payload)) + b"ftyp" + payload


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.jpg", ftyp(b"heic", b"mif1", b"heic"), ("heif", "photo", "image/heic")),
        ("a.heic", ftyp(b"mif1", b"mif1", b"miaf"), ("heif", "photo", "image/heif")),
        ("a.avif", ftyp(b"mif1", b"avif", b"miaf"), ("avif", "photo", "image/avif")),
        ("a.cr3", ftyp(b"crx ", b"crx ", b"isom"), ("cr3", "photo", "image/x-canon-cr3")),
        ("a.mov", ftyp(b"qt  ", b"qt  "), ("mov", "video", "video/quicktime")),
        ("a.mp4", ftyp(b"3gp5", b"isom"), ("3gp", "video", "video/3gpp")),
        ("a.m4a", ftyp(b"M4A ", b"isom"), ("m4a", "audio", "audio/mp4")),
        ("a.mp4", ftyp(b"isom", b"iso2", b"avc1"), ("mp4", "video", "video/mp4")),
        ("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", ("webp", "photo", "image/webp")),
        ("a.avi", b"RIFF\x00\x00\x00\x00AVI LIST", ("avi", "video", "video/x-msvideo")),
        ("a.wav", b"RIFF\x00\x00\x00\x00WAVEfmt ", ("wav", "audio", "audio/wav")),
        ("a.mkv", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", ("webm", "video", "video/webm")),
        ("a.mts", (b"\x47" + b"\x00" * 187) * 3, ("mts", "video", "video/mp2t")),
        ("a.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00", ("mp3", "audio", "audio/mpeg")),
        ("a.flac", b"fLaC\x00\x00\x00\x22", ("flac", "audio", "audio/flac")),
        ("a.jxl", b"\xff\x0a\xfa\x7f", ("jxl", "photo", "image/jxl")),
        ("a.nef", b"MM\x00*\x00\x00\x00\x08", ("nef", "photo", "image/x-nikon-nef")),
        ("a.tif", b"II*\x00\x10\x00\x00\x00CR\x02\x00", ("cr2", "photo", "image/x-canon-cr2")),
        ("a.tif", b"II*\x00\x08\x00\x00\x00", ("tiff", "photo", "image/tiff")),
        ("a.rw2", b"IIU\x00\x08\x00\x00\x00", ("rw2", "photo", "image/x-panasonic-rw2")),
        ("a.xmp", b'<?xpacket begin="" ?><x:xmpmeta', ("xmp", "other", "application/rdf+xml")),
    ],
)
def test_sniffing_by_magic_bytes(name, head, expected):
    from apps.assets.metadata.sniff import sniff

    found = sniff(name, head)
    assert (found.format, found.kind, found.mime) == expected


def test_pixel_limit_is_the_shared_setting(tmp_path, settings):
    settings.MEDIAHUB_MAX_IMAGE_PIXELS = 100 * 100
    path = save(tmp_path, "wide.jpg", image=gradient((200, 100)), exif=camera_exif())
    with pytest.raises(MetadataError, match="over the 0 MP limit .*decompression bomb"):
        extract(path)
    settings.MEDIAHUB_MAX_IMAGE_PIXELS = 200 * 100
    assert extract(path).width == 200


def test_jpeg_xl_and_avif_are_read_through_their_pillow_plugins(tmp_path):
    for name in ("a.jxl", "a.avif"):
        info = extract(save(tmp_path, name, image=gradient((72, 40))))
        assert (info.kind, info.format, info.width, info.height) == ("photo", name[2:], 72, 40), name
        assert info.phash is not None
