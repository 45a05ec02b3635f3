"""The one EXIF reader: every format hands its EXIF (a TIFF structure) to `read_exif`.

JPEG APP1, PNG eXIf, WebP/AVIF/HEIF Exif items and CR3 CMT boxes are all a TIFF
header followed by IFDs; TIFF and TIFF-based RAW files are one themselves. exifread
parses them; this module turns its tags into MediaInfo fields and capture-time
candidates, and makes a JSON-safe dump for the detail view.
"""

import io
import logging
import math
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import exifread

from . import capture_time
from .apple import apple_burst_uuid, apple_media_group_uuid

logger = logging.getLogger(__name__)
# exifread logs every odd tag at WARNING; a library scan would drown in them.
logging.getLogger("exifread").setLevel(logging.ERROR)

_TIFF_HEADERS = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
_MAX_DUMP_VALUES = 64  # longer numeric arrays (tables, thumbnails) stay out of the JSON dump


class ExifError(ValueError):
    """The EXIF block is present but cannot be parsed."""


def tiff_block(blob: bytes | None) -> bytes | None:
    """The TIFF structure inside an EXIF payload ('Exif\\0\\0' prefix, HEIF's 4-byte offset, or none)."""
    if not blob:
        return None
    if blob[:4] in _TIFF_HEADERS:
        return blob
    # Search a little way in: HEIF prefixes a big-endian offset, JPEG/WebP 'Exif\0\0'.
    for header in _TIFF_HEADERS:
        at = blob.find(header, 0, 64)
        if at >= 0:
            return blob[at:]
    return None


def read_exif(source: bytes | io.BufferedIOBase) -> dict:
    """exifread tags of a TIFF block (bytes) or of a TIFF-structured file; raises ExifError."""
    fh = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        tags = exifread.process_file(fh, details=False, extract_thumbnail=False, strict=False)
    except Exception as exc:  # exifread raises anything from IndexError to MemoryError on bad offsets
        raise ExifError(f"EXIF block is malformed ({type(exc).__name__}: {exc})") from exc
    return tags or {}


def _values(tags: dict, *names):
    for name in names:
        tag = tags.get(name)
        if tag is not None and tag.values not in (None, "", []):
            return tag.values
    return None


def _text(tags: dict, *names) -> str:
    value = _values(tags, *names)
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, list):
        return ""
    return str(value).replace("\x00", "").strip()


def _number(value) -> float | None:
    """First element of an EXIF value as float; None for 0/0, NaN and the like."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or isinstance(value, str | bytes):
        return None
    try:
        number = (
            float(Fraction(value.numerator, value.denominator))
            if hasattr(value, "denominator")
            else float(value)
        )
    except (ZeroDivisionError, ValueError, TypeError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _positive(value) -> float | None:
    number = _number(value)
    return number if number is not None and number > 0 else None


def _dms(value, ref: str) -> float | None:
    """[deg, min, sec] rationals + N/S/E/W ref -> signed decimal degrees."""
    if not isinstance(value, list) or not value:
        return None
    parts = [_number(v) for v in value[:3]]
    if any(p is None for p in parts):
        return None
    degrees = parts[0] + (parts[1] if len(parts) > 1 else 0) / 60 + (parts[2] if len(parts) > 2 else 0) / 3600
    return -degrees if ref.upper().startswith(("S", "W")) else degrees


def gps_fields(tags: dict) -> dict:
    lat = _dms(_values(tags, "GPS GPSLatitude"), _text(tags, "GPS GPSLatitudeRef"))
    lon = _dms(_values(tags, "GPS GPSLongitude"), _text(tags, "GPS GPSLongitudeRef"))
    fields = {}
    if (
        lat is not None
        and lon is not None
        and abs(lat) <= 90
        and abs(lon) <= 180
        and (lat, lon) != (0.0, 0.0)
    ):
        # (0, 0) is what a phone writes before it has a fix, not a place anyone stood.
        fields["latitude"], fields["longitude"] = lat, lon
        altitude = _number(_values(tags, "GPS GPSAltitude"))
        if altitude is not None:
            ref = _values(tags, "GPS GPSAltitudeRef")
            below_sea = (_number(ref) or 0) == 1 if not isinstance(ref, bytes) else ref[:1] == b"\x01"
            fields["altitude"] = -altitude if below_sea else altitude
    return fields


def gps_instant(tags: dict) -> datetime | None:
    """GPSDateStamp + GPSTimeStamp: an exact UTC instant."""
    parsed = capture_time.parse_datetime(_text(tags, "GPS GPSDate"))
    stamp = _values(tags, "GPS GPSTimeStamp")
    if parsed is None or not isinstance(stamp, list) or len(stamp) < 3:
        return None
    hms = [_number(v) for v in stamp[:3]]
    if any(v is None for v in hms) or not (0 <= hms[0] < 24 and 0 <= hms[1] < 60 and 0 <= hms[2] < 61):
        return None
    seconds = hms[0] * 3600 + hms[1] * 60 + hms[2]
    day = parsed[0].replace(hour=0, minute=0, second=0, microsecond=0)
    return (day + timedelta(seconds=seconds)).replace(tzinfo=UTC)


def exif_fields(tags: dict, tiff: bytes | None = None) -> tuple[dict, list]:
    """MediaInfo fields and capture-time candidates from exifread tags.

    `tiff` is the raw block, needed only for the Apple maker note (exifread skips maker notes
    with details=False, which keeps it fast).
    """
    fields: dict = {
        "camera_make": _text(tags, "Image Make"),
        "camera_model": _text(tags, "Image Model"),
        "lens": _text(tags, "EXIF LensModel"),
        "f_number": _positive(_values(tags, "EXIF FNumber", "Image FNumber")),
        "exposure_time": _positive(_values(tags, "EXIF ExposureTime", "Image ExposureTime")),
        "focal_length": _positive(_values(tags, "EXIF FocalLength", "Image FocalLength")),
        "focal_length_35mm": _positive(_values(tags, "EXIF FocalLengthIn35mmFilm")),
    }
    iso = _positive(
        _values(tags, "EXIF ISOSpeedRatings", "EXIF PhotographicSensitivity", "Image ISOSpeedRatings")
    )
    if iso is not None:
        fields["iso"] = int(iso)
    orientation = _number(_values(tags, "Image Orientation"))
    if orientation is not None and 1 <= orientation <= 8:
        fields["orientation"] = int(orientation)
    fields.update(gps_fields(tags))
    if tiff is not None:
        uuid = apple_media_group_uuid(tiff)
        if uuid:
            fields["live_photo_id"] = uuid
        burst = apple_burst_uuid(tiff)
        if burst:
            fields["burst_id"] = burst

    offset_any = _text(tags, "EXIF OffsetTime")
    candidates = [
        capture_time.candidate(
            "exif",
            _text(tags, "EXIF DateTimeOriginal", "Image DateTimeOriginal"),
            _text(tags, "EXIF OffsetTimeOriginal") or offset_any or None,
        ),
        capture_time.candidate(
            "exif",
            _text(tags, "EXIF DateTimeDigitized"),
            _text(tags, "EXIF OffsetTimeDigitized") or offset_any or None,
        ),
    ]
    gps_time = gps_instant(tags)
    if gps_time is not None:
        candidates.append(capture_time.utc_candidate("gps", gps_time))
    return {k: v for k, v in fields.items() if v not in (None, "")}, [c for c in candidates if c]


def image_size(tags: dict) -> tuple[int, int] | None:
    """Stored width/height from the EXIF (TIFF IFD0 or the Exif pixel dimensions)."""
    width = _number(_values(tags, "Image ImageWidth", "EXIF ExifImageWidth"))
    height = _number(_values(tags, "Image ImageLength", "EXIF ExifImageLength"))
    if width and height:
        return int(width), int(height)
    return None


def dump(tags: dict) -> dict:
    """exifread tags as JSON-safe values; long binary tables are left out."""
    out = {}
    for name, tag in tags.items():
        if "Thumbnail" in name or name.startswith("JPEGThumbnail"):
            continue
        values = getattr(tag, "values", tag)
        if isinstance(values, bytes):
            continue
        if isinstance(values, str):
            out[name] = values.replace("\x00", "").strip()[:1000]
        elif isinstance(values, list):
            if len(values) > _MAX_DUMP_VALUES:
                continue
            converted = [_number(v) if not isinstance(v, str | bytes) else None for v in values]
            if any(v is None for v in converted):
                out[name] = str(tag)[:1000]
            else:
                converted = [int(v) if float(v).is_integer() else round(v, 10) for v in converted]
                out[name] = converted[0] if len(converted) == 1 else converted
    return out
