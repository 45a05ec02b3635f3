"""Acceptance: metadata extraction agrees with ExifTool/ffprobe on the shared real-media corpus.

Ground truth: `exiftool_key_fields.json` (+ `exiftool.json` for the few tags the key list lacks:
GPS altitude and date, QuickTime Keys) and `ffprobe.json` for videos. Every file ExifTool reads
without error is extracted; a field is compared when either side has a value, so a value MediaHub
invents counts against it as much as one it misses. Run with `-s` to see the table.

What MediaHub does not read, and so is not expected: maker-note and vendor blocks (Canon/Nikon/FLIR
ISO or lens, H.264 SEI dates in MTS, RIFF/CIFF dates), and (0, 0) GPS positions (dropped on purpose).
"""

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from apps.assets.metadata import CorruptMedia, MetadataError, extract
from apps.assets.metadata.capture_time import parse_datetime, parse_offset
from tests.corpus import CORPUS, REPO, needs_corpus

pytestmark = needs_corpus

MIN_AGREEMENT = 0.99
VIDEO_TYPES = {"MP4", "MOV", "M4V", "3GP", "3G2", "M2TS", "AVI", "MKV", "WEBM"}
RAW_TYPES = {"NEF", "CR2", "CR3", "DNG", "ARW", "RAF", "RW2", "ORF", "PEF", "KDC"}
FIELDS = (
    "taken_at",
    "taken_at_offset",
    "camera_make",
    "camera_model",
    "lens",
    "f_number",
    "exposure_time",
    "iso",
    "focal_length",
    "latitude",
    "longitude",
    "altitude",
    "orientation",
    "width",
    "height",
    "duration",
    "video_codec",
    "audio_codec",
    "rotation",
    "live_photo_id",
    "motion_photo",
)


def first(entry: dict, *keys):
    for key in keys:
        value = entry.get(key)
        if value not in (None, ""):
            return value
    return None


def expected_capture(key: dict, full: dict) -> tuple[str, datetime, int | None] | None:
    """(kind, time, offset) in MediaHub's priority; kind 'wall' is local clock time, 'utc' an instant."""
    for tag, offset_tag in (
        ("ExifIFD:DateTimeOriginal", "ExifIFD:OffsetTimeOriginal"),
        ("IFD0:DateTimeOriginal", None),
        ("ExifIFD:CreateDate", "ExifIFD:OffsetTimeDigitized"),
        ("XMP-exif:DateTimeOriginal", None),
        ("XMP-xmp:CreateDate", None),
        ("XMP-photoshop:DateCreated", None),
        ("Keys:CreationDate", None),
        ("RIFF:DateTimeOriginal", None),
    ):
        parsed = parse_datetime(full.get(tag) or key.get(tag))
        if parsed:
            wall, offset = parsed
            if offset is None and offset_tag:
                offset = parse_offset(full.get(offset_tag) or full.get("ExifIFD:OffsetTime"))
            return "wall", wall, offset
    for tag in ("Composite:GPSDateTime", "XMP-exif:GPSDateTime", "QuickTime:CreateDate"):
        parsed = parse_datetime(full.get(tag) or key.get(tag))
        if parsed:
            wall, offset = parsed
            return "utc", wall - timedelta(minutes=offset or 0), None
    return None


def expected_size(key: dict, full: dict, probe: dict | None, orientation) -> tuple[int, int] | None:
    if probe and probe.get("width"):
        turned = probe.get("rotation_cw") in (90, 270)
        return (probe["height"], probe["width"]) if turned else (probe["width"], probe["height"])
    file_type = key.get("File:FileType", "")
    if file_type in RAW_TYPES:
        pairs = []
        for name, width in key.items():
            if name.endswith(":ImageWidth"):
                height = key.get(name.replace("Width", "Height"))
                if isinstance(width, int) and isinstance(height, int):
                    pairs.append((width, height))
        size = max(pairs, key=lambda p: p[0] * p[1]) if pairs else None
    else:
        width = first(
            key,
            "File:ImageWidth",
            "PNG:ImageWidth",
            "GIF:ImageWidth",
            "RIFF:ImageWidth",
            "IFD0:ImageWidth",
            "XMP-tiff:ImageWidth",
        )
        height = first(
            key,
            "File:ImageHeight",
            "PNG:ImageHeight",
            "GIF:ImageHeight",
            "RIFF:ImageHeight",
            "IFD0:ImageHeight",
            "XMP-tiff:ImageHeight",
        )
        size = (width, height) if width and height else None
    if size is None:
        return None
    if file_type in ("HEIC", "HEIF", "AVIF"):
        # libheif crops to the clean aperture ('clap') as a viewer does: that is the displayed size.
        # (A grid image, with a MetaImageSize, has its 'clap' on the tiles, not on the picture.)
        clap = str(full.get("QuickTime:CleanAperture") or "").split()
        if len(clap) == 4 and "Meta:MetaImageSize" not in full:
            size = (round(float(clap[0])), round(float(clap[1])))
        turned = key.get("QuickTime:Rotation") in (90, 270)  # irot, applied by the decoder
    else:
        turned = orientation in (5, 6, 7, 8)
    return (size[1], size[0]) if turned else size


def expected_fields(key: dict, full: dict, probe: dict | None) -> dict:
    file_type = key.get("File:FileType", "")
    is_video = file_type in VIDEO_TYPES
    lat, lon = key.get("Composite:GPSLatitude"), key.get("Composite:GPSLongitude")
    # MediaHub drops (0, 0) (a phone without a fix) and impossible positions (|latitude| > 90).
    has_gps = (
        isinstance(lat, int | float)
        and isinstance(lon, int | float)
        and (lat, lon) != (0, 0)
        and abs(lat) <= 90
        and abs(lon) <= 180
    )
    orientation = None if is_video else first(key, "IFD0:Orientation", "XMP-tiff:Orientation")
    size = expected_size(key, full, probe, orientation)
    motion = str(first(full, "XMP-GCamera:MotionPhoto", "XMP-GCamera:MicroVideo") or "") == "1" or (
        full.get("Samsung:EmbeddedVideoType") == "MotionPhoto_Data"
    )
    expected = {
        "capture": expected_capture(key, full),
        "camera_make": first(key, "IFD0:Make", "XMP-tiff:Make", "Keys:Make"),
        "camera_model": first(key, "IFD0:Model", "XMP-tiff:Model", "Keys:Model"),
        "lens": first(key, "ExifIFD:LensModel", "XMP-exifEX:LensModel") or full.get("XMP-aux:Lens"),
        "f_number": first(key, "ExifIFD:FNumber", "IFD0:FNumber", "XMP-exif:FNumber"),
        "exposure_time": first(key, "ExifIFD:ExposureTime", "IFD0:ExposureTime", "XMP-exif:ExposureTime"),
        "iso": first(key, "ExifIFD:ISO", "IFD0:ISO", "XMP-exif:ISO"),
        "focal_length": first(key, "ExifIFD:FocalLength", "IFD0:FocalLength", "XMP-exif:FocalLength"),
        "latitude": lat if has_gps else None,
        "longitude": lon if has_gps else None,
        "altitude": _float(first(full, "Composite:GPSAltitude", "GPS:GPSAltitude")) if has_gps else None,
        "orientation": orientation,
        "width": size[0] if size else None,
        "height": size[1] if size else None,
        "live_photo_id": first(key, "Apple:MediaGroupUUID") or full.get("Keys:ContentIdentifier"),
        "motion_photo": motion or None,
    }
    for name in ("f_number", "exposure_time", "iso", "focal_length"):
        if expected[name] is not None and _float(expected[name]) in (None, 0.0):
            expected[name] = None  # ExifTool prints a 0 the camera wrote for "unknown"; MediaHub stores none
    if probe:
        expected.update(
            duration=probe.get("duration") or probe.get("stream_duration") or None,
            video_codec=probe.get("video_codec"),
            audio_codec=probe.get("audio_codec"),
            rotation=probe.get("rotation_cw"),
        )
    return expected


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _close(a, b, absolute=0.0, relative=0.0) -> bool:
    a, b = _float(a), _float(b)
    return a is not None and b is not None and abs(a - b) <= max(absolute, relative * abs(b))


def _text(value) -> str:
    return str(value).strip() if value is not None else ""


def compare(info, expected: dict) -> dict[str, tuple[bool, object, object]]:
    """field -> (agrees, got, expected), for the fields either side has."""
    got = {name: getattr(info, name, None) if info else None for name in FIELDS}
    out = {}
    capture = expected["capture"]
    if capture or (info and info.taken_at_source not in ("mtime", "")):
        kind, when, offset = capture or ("wall", None, None)
        mine = None
        if info and info.taken_at and info.taken_at_source != "mtime":
            utc = info.taken_at.astimezone(UTC).replace(tzinfo=None)
            mine = utc if kind == "utc" else utc + timedelta(minutes=info.taken_at_offset or 0)
        # Apple's creationdate (capture start) precedes the QuickTime CreateDate (file written) by seconds.
        slack = 60 if kind == "utc" else 1
        out["taken_at"] = (
            mine is not None and when is not None and abs((mine - when).total_seconds()) <= slack,
            mine,
            when,
        )
        if offset is not None or got["taken_at_offset"] is not None:
            out["taken_at_offset"] = (got["taken_at_offset"] == offset, got["taken_at_offset"], offset)
    rules = {
        "f_number": dict(absolute=0.05),
        "exposure_time": dict(relative=0.01),
        "focal_length": dict(absolute=0.05),
        "latitude": dict(absolute=5e-5),
        "longitude": dict(absolute=5e-5),
        "altitude": dict(absolute=0.1),
        "duration": dict(absolute=0.05, relative=0.01),
    }
    for name in FIELDS:
        if name in ("taken_at", "taken_at_offset"):
            continue
        want, have = expected.get(name), got[name]
        if name == "motion_photo":
            have = have or None
        if want in (None, "") and have in (None, ""):
            continue
        if name in rules:
            ok = _close(have, want, **rules[name])
        elif name in ("camera_make", "camera_model", "lens", "video_codec", "audio_codec", "live_photo_id"):
            ok = _text(have) == _text(want)
        else:
            ok = have == want
        out[name] = (ok, have, want)
    return out


@pytest.fixture(scope="module")
def results():
    key_fields = {e["SourceFile"]: e for e in json.loads((CORPUS / "exiftool_key_fields.json").read_text())}
    full = {e["SourceFile"]: e for e in json.loads((CORPUS / "exiftool.json").read_text())}
    probes = json.loads((CORPUS / "ffprobe.json").read_text())
    rows, started = [], time.perf_counter()
    for rel, key in sorted(key_fields.items()):
        if "ExifTool:Error" in key or not (CORPUS / rel).is_file():
            continue
        try:
            info, error = extract(CORPUS / rel), ""
        except CorruptMedia as exc:
            info, error = exc.info, str(exc)
        except MetadataError as exc:
            info, error = None, str(exc)
        rows.append((rel, error, compare(info, expected_fields(key, full.get(rel, {}), probes.get(rel)))))
    return rows, time.perf_counter() - started


def test_field_agreement_with_exiftool(results):
    rows, elapsed = results
    totals = {name: [0, 0] for name in FIELDS}
    disagreements = []
    for rel, error, fields in rows:
        for name, (ok, have, want) in fields.items():
            totals[name][0] += ok
            totals[name][1] += 1
            if not ok:
                disagreements.append(
                    f"  {rel}: {name}: got {have!r}, ExifTool/ffprobe {want!r}"
                    + (f" [{error}]" if error else "")
                )
    matched = sum(m for m, _ in totals.values())
    compared = sum(n for _, n in totals.values())
    overall = matched / compared
    print(f"\nMetadata agreement over {len(rows)} files ({elapsed:.1f} s, {len(rows) / elapsed:.1f} files/s)")
    print(f"{'field':<16}{'agree':>7}{'of':>6}{'%':>9}")
    for name, (m, n) in totals.items():
        if n:
            print(f"{name:<16}{m:>7}{n:>6}{100 * m / n:>8.1f}%")
    print(f"{'overall':<16}{matched:>7}{compared:>6}{100 * overall:>8.2f}%")
    print(f"Disagreements ({len(disagreements)}):", *disagreements, sep="\n")
    assert compared > 1000, "too few comparisons: is the corpus complete?"
    assert overall >= MIN_AGREEMENT, f"agreement {overall:.2%} is below {MIN_AGREEMENT:.0%}"


def test_every_readable_file_extracts_without_a_crash(results):
    rows, _ = results
    # Only files broken beyond their metadata may fail; the rest of the corpus must extract.
    failures = [(rel, error) for rel, error, _ in rows if error and not rel.startswith("corrupt/")]
    known_broken = {
        "jpeg_exif/metadata-extractor/beach.jpg",  # DNL-marker JPEG: height 0 in its header
        "jpeg_exif/metadata-extractor/User Comment Encoding.jpg",
    }  # entropy data cut short
    assert {rel for rel, _ in failures} <= known_broken, failures


# Corrupt files that are in fact readable: a mislabelled file is read by its content (with a warning),
# and the exif.py "invalid" samples and three ImageTestSuite JPEGs decode fully with libjpeg.
READABLE_IN_CORRUPT = {
    "wrong_extension/photoprism_this-is-a-jpeg.png",
    "wrong_extension/photoprism_wrong.heic",
    "derived/png_named_as.jpg",
    *(f"real/exif-samples_invalid/image{n}.jpg" for n in ("00971", "01088", "01713", "01980", "02206")),
    *(
        f"real/metadata-extractor/ImageTestSuite_{h}.jpg"
        for h in (
            "1cbb1bb37d62c44f67374cd451643dc4",
            "28c74d9284d9836017fd519f6932efd8",
            "316be81dfdeeb942e904feb3a77f4f83",
        )
    ),
}
MISLABELLED = {
    "wrong_extension/photoprism_this-is-a-jpeg.png",
    "wrong_extension/photoprism_wrong.heic",
    "derived/png_named_as.jpg",
}

_CHILD = """
import json, sys, time
from apps.assets.metadata import MetadataError, extract
for path in sys.argv[1:]:
    start = time.perf_counter()
    try:
        info = extract(path)
        result = {"ok": True, "warnings": info.warnings}
    except MetadataError as exc:
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps({"path": path, "seconds": time.perf_counter() - start, **result}), flush=True)
"""


def test_corrupt_files_end_with_a_clear_error_and_never_crash_or_hang():
    corrupt = CORPUS / "corrupt"
    paths = sorted(str(p) for p in corrupt.rglob("*") if p.is_file())
    # A child process: a segfault in a decoder would kill it (and show here) instead of the test run.
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *paths], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0, f"extraction process died after {len(lines)} files: {done.stderr[-2000:]}"
    assert len(lines) == len(paths)
    for line in lines:
        rel = str(Path(line["path"]).relative_to(corrupt))
        assert line["seconds"] < 30, f"{rel} took {line['seconds']:.1f} s"
        if rel in READABLE_IN_CORRUPT:
            if rel in MISLABELLED:
                assert line["ok"] and any("extension" in w for w in line["warnings"]), line
        else:
            assert not line["ok"], f"{rel} should have failed with an error"
            assert len(line["error"]) > 25, f"{rel}: error message says too little: {line['error']}"


@pytest.mark.django_db
def test_scanning_corrupt_folder_ends_every_file_as_an_asset_or_scan_error(settings):
    """End to end through the scanner and every pipeline stage: broken pixels fail at the preview."""
    from apps.assets.models import Asset
    from apps.scanning import services
    from apps.scanning.models import Library
    from tests.factories import UserFactory

    corrupt = CORPUS / "corrupt"
    library = Library.objects.create(name="corrupt", root_path=str(corrupt), owner=UserFactory())
    run = services.scan_library(library, inline=True)
    assert run.state == "done"
    files = {str(p.relative_to(corrupt)) for p in corrupt.rglob("*") if p.is_file()}
    scan_errors = {entry["path"] for entry in run.error_log}
    assets = {a.path: a for a in Asset.objects.filter(library=library)}
    assert files == set(assets) | scan_errors
    for rel, asset in assets.items():
        if rel in READABLE_IN_CORRUPT:
            assert asset.status == Asset.Status.READY, (rel, asset.last_error)
        else:
            assert asset.status == Asset.Status.ERROR, rel
            stage, _, reason = asset.last_error.partition(": ")
            assert stage in ("metadata", "preview", "thumbnail", "poster", "transcode"), (rel, asset.last_error)
            assert len(reason) > 15, (rel, asset.last_error)


_TAGS_CHILD = """
import json, sys
from apps.assets.metadata import MetadataError, extract
fields, paths = sys.argv[1].split(), sys.argv[2:]
for path in paths:
    try:
        info = extract(path, decode=False, tags_only=True)
        result = {name: str(getattr(info, name)) for name in fields}
    except MetadataError as exc:
        result = {"error": str(exc)}
    print(json.dumps({"path": path, **result}), flush=True)
"""
TAG_FIELDS = ("taken_at", "taken_at_offset", "taken_at_source", "latitude", "longitude", "camera_make",
              "camera_model", "live_photo_id")


def test_an_uploads_tags_alone_agree_with_the_full_read_on_every_corpus_video():
    """Uploads read a video's tags in-process (PyAV, no ffprobe): a child process, so a crash shows."""
    videos = sorted(p for p in CORPUS.rglob("*") if p.suffix.upper().lstrip(".") in VIDEO_TYPES)
    done = subprocess.run(
        [sys.executable, "-c", _TAGS_CHILD, " ".join(TAG_FIELDS), *map(str, videos)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, f"the tags reader died: {done.stderr[-2000:]}"
    quick = {line["path"]: line for line in map(json.loads, done.stdout.splitlines())}
    assert len(quick) == len(videos) > 10
    compared = 0
    for path in videos:
        try:
            full = extract(path, decode=False)
        except MetadataError:
            assert "error" in quick[str(path)] or path.is_relative_to(CORPUS / "corrupt"), path
            continue
        assert quick[str(path)] == {"path": str(path), **{n: str(getattr(full, n)) for n in TAG_FIELDS}}, path
        compared += 1
    assert compared > 10
