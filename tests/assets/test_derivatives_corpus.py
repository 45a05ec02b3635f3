"""Derivatives of the real-media corpus: upright previews, HEIC irot once, rotated videos, clean errors."""

import time
import uuid
from pathlib import Path

import pytest
from PIL import Image

from apps.assets.derivatives import images, video
from apps.assets.derivatives.storage import Derivative, existing, path_for
from tests.corpus import CORPUS, ground_truth, needs_corpus

pytestmark = needs_corpus


def preview_of(source: Path) -> Image.Image:
    asset_id = uuid.uuid4()
    images.make_photo_derivatives(source, asset_id)
    return Image.open(existing(asset_id, Derivative.PREVIEW))


def is_portrait(size) -> bool:
    return size[1] > size[0]


def test_exif_orientation_samples_come_out_as_their_names_say():
    folder = CORPUS / "jpeg_exif" / "exif-samples" / "orientation"
    samples = sorted(folder.glob("*.jpg"))
    assert samples
    for sample in samples:
        assert is_portrait(preview_of(sample).size) == sample.name.startswith("portrait"), sample.name


def heic_ground_truth():
    """(file, displayed portrait?) from ExifTool: stored size turned by the `irot` QuickTime:Rotation."""
    rows = ground_truth("exiftool_key_fields.json", [])
    for row in rows:
        name = row["SourceFile"]
        if not name.startswith("heic/") or "File:ImageWidth" not in row or "ExifTool:Error" in row:
            continue
        width, height = row["File:ImageWidth"], row["File:ImageHeight"]
        if width == height:
            continue
        turned = row.get("QuickTime:Rotation", 0) in (90, 270)
        yield name, (height > width) != turned


@pytest.mark.parametrize("name, portrait", sorted(heic_ground_truth()))
def test_heic_previews_are_turned_by_irot_exactly_once(name, portrait):
    started = time.monotonic()
    preview = preview_of(CORPUS / name)
    assert is_portrait(preview.size) == portrait, f"{name}: {preview.size}"
    assert max(preview.size) <= 1600
    assert time.monotonic() - started < 60


def videos():
    probes = ground_truth("ffprobe.json", {})
    return sorted(
        (name, info) for name, info in probes.items() if info.get("ffprobe_rc") == 0 and info.get("width")
    )


@pytest.mark.parametrize("name, info", videos(), ids=[name for name, _ in videos()])
def test_video_posters_are_upright_or_fail_cleanly(name, info):
    asset_id = uuid.uuid4()
    try:
        frame = video.poster_frame(CORPUS / name, info.get("duration"), 1600)
    except video.VideoError:
        assert "exiftool-stubs" in name, f"{name} is a real video and must have a poster"
        return
    images.write_image_derivatives(frame, asset_id)
    stored_portrait = info["height"] > info["width"]
    turned = info.get("rotation_cw") in (90, 270)
    assert is_portrait(frame.size) == (stored_portrait != turned), f"{name}: {frame.size}"


def test_an_iphone_hevc_clip_becomes_an_upright_h264_mp4():
    source = CORPUS / "video" / "photoprism" / "quicktime-hvc1.mov"
    destination = path_for(uuid.uuid4(), Derivative.TRANSCODE)

    video.transcode(source, destination, 1.2)

    out = video.probe(destination)
    assert (out.video_codec, out.audio_codec) == ("h264", "aac")
    assert (out.width, out.height) == (720, 1280), "stored 1280x720 with a 90 degree display matrix"


def test_corrupt_files_end_in_a_clear_error_never_a_crash_or_a_hang():
    for path in sorted(p for p in (CORPUS / "corrupt").rglob("*") if p.is_file()):
        started = time.monotonic()
        try:
            if path.suffix.lower() in (".mov", ".mp4"):
                video.poster_frame(path, None, 1600)
            else:
                preview_of(path)
        except (images.ImageDecodeError, video.VideoError) as exc:
            assert path.name in str(exc) or "ffprobe" in str(exc) or "ffmpeg" in str(exc), str(exc)
        assert time.monotonic() - started < 30, f"{path.name} took too long"


@pytest.mark.parametrize("name", ["raw/rawpy/RAW_KODAK_DC50_é.KDC", "raw/metadata-extractor/Issue 247-2.nef"])
def test_raw_files_get_a_preview_from_libraw_or_their_embedded_jpeg(name):
    assert min(preview_of(CORPUS / name).size) > 100
