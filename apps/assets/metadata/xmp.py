"""XMP packets: the fields MediaHub needs, read with a few tolerant patterns.

XMP appears in JPEG APP1, PNG iTXt, WebP/HEIF items, TIFF tag 700, video uuid
boxes and .xmp sidecars. Only a handful of properties matter here (motion-photo
markers, dates and camera fields for files whose EXIF is missing), in either the
attribute form (`exif:FNumber="28/10"`) or the element form
(`<exif:FNumber>28/10</exif:FNumber>`); a full RDF parser would buy nothing.
"""

import html
import re
from datetime import timedelta
from fractions import Fraction

from apps.core.validators import plain_id

from . import capture_time

_PACKET_RE = re.compile(rb"<x:xmpmeta.*?</x:xmpmeta>", re.S)
_SEMANTIC_ITEM_RE = re.compile(
    r"Item:Semantic=\"(\w+)\"[^>]*?Item:Length=\"(\d+)\"|Item:Length=\"(\d+)\"[^>]*?Item:Semantic=\"(\w+)\"",
    re.S,
)
_MAX_SCAN = 4 * 1024 * 1024  # XMP lives near the start of a file; scanning further costs I/O for nothing


def find_packet(data: bytes) -> str:
    match = _PACKET_RE.search(data[:_MAX_SCAN])
    return match.group(0).decode("utf-8", "replace") if match else ""


def as_text(xmp) -> str:
    if not xmp:
        return ""
    if isinstance(xmp, bytes | bytearray):
        return find_packet(bytes(xmp)) or bytes(xmp).decode("utf-8", "replace")
    return str(xmp)


def prop(xmp: str, name: str) -> str:
    """The value of a simple property, or the first rdf:li of an array property."""
    escaped = re.escape(name)
    match = re.search(escaped + r"\s*=\s*\"([^\"]*)\"", xmp) or re.search(escaped + r"\s*=\s*'([^']*)'", xmp)
    if match:
        return match.group(1).strip()
    match = re.search(r"<" + escaped + r"(?:\s[^>]*)?>(.*?)</" + escaped + ">", xmp, re.S)
    if not match:
        return ""
    inner = match.group(1)
    item = re.search(r"<rdf:li[^>]*>(.*?)</rdf:li>", inner, re.S)
    return (item.group(1) if item else inner).strip()


def _rational(text: str) -> float | None:
    try:
        value = float(Fraction(text.strip()))
    except (ValueError, ZeroDivisionError):
        return None
    return value if value > 0 else None


def _coordinate(text: str) -> float | None:
    """XMP GPS '53,22.9125N' or '53,22,55.5N' -> signed degrees."""
    match = re.match(
        r"^\s*(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?(?:,(\d+(?:\.\d+)?))?\s*([NSEW])\s*$", text or ""
    )
    if not match:
        return None
    degrees, minutes, seconds, ref = match.groups()
    value = float(degrees) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
    return -value if ref in "SW" else value


# IPTC Extension structs reuse exif:GPSLatitude for a *described* place (the Eiffel tower in the
# picture, the city it was made in): not the camera position, which is what MediaHub maps.
_IPTC_LOCATION_RE = re.compile(r"<Iptc4xmpExt:Location(Created|Shown)\b.*?</Iptc4xmpExt:Location\1>", re.S)


def xmp_fields(xmp: str) -> tuple[dict, list]:
    """MediaInfo fields and capture-time candidates from an XMP packet (same shape as exif_fields)."""
    if not xmp:
        return {}, []
    xmp = _IPTC_LOCATION_RE.sub("", xmp)
    fields: dict = {
        # Lang-alt texts: prop() gives the first (x-default) item, escaped as XML writes it.
        "title": html.unescape(prop(xmp, "dc:title"))[:500],
        "description": html.unescape(prop(xmp, "dc:description")),
        "camera_make": prop(xmp, "tiff:Make"),
        "camera_model": prop(xmp, "tiff:Model"),
        "lens": prop(xmp, "exifEX:LensModel") or prop(xmp, "aux:Lens"),
        "f_number": _rational(prop(xmp, "exif:FNumber")),
        "exposure_time": _rational(prop(xmp, "exif:ExposureTime")),
        "focal_length": _rational(prop(xmp, "exif:FocalLength")),
    }
    iso = _rational(prop(xmp, "exif:ISOSpeedRatings") or prop(xmp, "exifEX:PhotographicSensitivity"))
    if iso:
        fields["iso"] = int(iso)
    orientation = plain_id(prop(xmp, "tiff:Orientation"))
    if orientation is not None and 1 <= orientation <= 8:
        fields["orientation"] = orientation
    lat, lon = _coordinate(prop(xmp, "exif:GPSLatitude")), _coordinate(prop(xmp, "exif:GPSLongitude"))
    if lat is not None and lon is not None and (lat, lon) != (0.0, 0.0):
        fields["latitude"], fields["longitude"] = lat, lon

    motion = prop(xmp, "GCamera:MotionPhoto") == "1" or prop(xmp, "GCamera:MicroVideo") == "1"
    if motion:
        fields["motion_photo"] = True
        offset = plain_id(prop(xmp, "GCamera:MicroVideoOffset"))
        if offset is not None:
            fields["motion_photo_offset"] = offset
        for match in _SEMANTIC_ITEM_RE.finditer(xmp):
            semantic = match.group(1) or match.group(4)
            length = match.group(2) or match.group(3)
            if semantic == "MotionPhoto" and int(length) > 0:
                fields["motion_photo_offset"] = int(length)

    candidates = [
        capture_time.candidate("xmp", prop(xmp, "exif:DateTimeOriginal")),
        # 'xap' is the XMP namespace's prefix from before 2004, still written by old Photoshop versions.
        capture_time.candidate("xmp", prop(xmp, "xmp:CreateDate") or prop(xmp, "xap:CreateDate")),
        capture_time.candidate("xmp", prop(xmp, "photoshop:DateCreated")),
    ]
    gps = capture_time.parse_datetime(prop(xmp, "exif:GPSTimeStamp"))
    if gps is not None:  # XMP's GPS date-time is UTC, written with or without a 'Z'
        wall, offset = gps
        candidates.append(capture_time.Candidate("gps", wall - timedelta(minutes=offset or 0), None))
    return {k: v for k, v in fields.items() if v not in (None, "")}, [c for c in candidates if c]


def xmp_size(xmp: str) -> tuple[int, int] | None:
    """tiff:ImageWidth/ImageLength: trusted only for sidecars, where there are no pixels to measure."""
    width, height = (
        plain_id(prop(xmp, "tiff:ImageWidth") or prop(xmp, "exif:PixelXDimension")),
        plain_id(prop(xmp, "tiff:ImageLength") or prop(xmp, "exif:PixelYDimension")),
    )
    return (width, height) if width is not None and height is not None else None
