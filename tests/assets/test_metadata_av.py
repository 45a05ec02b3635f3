"""Metadata of videos and audio made by ffmpeg test sources (no corpus needed)."""

import shutil
import struct
import subprocess
from datetime import UTC, datetime

import pytest

from apps.assets.metadata import MetadataError, extract
from apps.assets.metadata import video as video_module
from apps.assets.metadata.video import clockwise_rotation

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True, timeout=60)


@pytest.fixture(scope="module")
def rotated_mp4(tmp_path_factory):
    folder = tmp_path_factory.mktemp("av")
    plain = folder / "plain.mp4"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=64x48:rate=25:duration=1",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=1",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        "-metadata",
        "creation_time=2023-06-01T10:20:30Z",
        "-metadata",
        "location=+48.8584+002.2945/",
        str(plain),
    )
    rotated = folder / "rotated.mp4"
    # ffmpeg 5 writes a display matrix from the 'rotate' tag on stream copy (re-encoding would apply it).
    ffmpeg("-i", str(plain), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(rotated))
    return plain, rotated


def test_mp4_video_fields(rotated_mp4):
    plain, _ = rotated_mp4
    info = extract(plain)
    assert (info.kind, info.mime, info.format) == ("video", "video/mp4", "mp4")
    assert (info.video_codec, info.audio_codec, info.has_audio) == ("h264", "aac", True)
    assert (info.width, info.height, info.rotation) == (64, 48, 0)
    assert info.frame_rate == pytest.approx(25)
    assert info.duration == pytest.approx(1.0, abs=0.1)
    assert (info.latitude, info.longitude) == (48.8584, 2.2945)
    # QuickTime creation time is UTC; the local offset stays unknown.
    assert (info.taken_at, info.taken_at_offset, info.taken_at_source) == (
        datetime(2023, 6, 1, 10, 20, 30, tzinfo=UTC),
        None,
        "quicktime",
    )
    assert info.tags["ffprobe"]["streams"][0]["codec_name"] == "h264"


def test_rotated_video_reports_clockwise_rotation_and_displayed_size(rotated_mp4):
    _, rotated = rotated_mp4
    info = extract(rotated)
    assert info.rotation in (90, 270)
    assert (info.width, info.height) == (48, 64)


def test_rotation_sources_are_normalised_to_clockwise_degrees():
    # ffprobe's display-matrix rotation is counter-clockwise: -90 is a phone held upright.
    assert (
        clockwise_rotation({"side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]}) == 90
    )
    assert clockwise_rotation({"side_data_list": [{"rotation": 180}]}) == 180
    assert clockwise_rotation({"side_data_list": [{"rotation": 90}]}) == 270
    assert clockwise_rotation({"tags": {"rotate": "90"}}) == 90  # the old tag is already clockwise
    assert clockwise_rotation({}) == 0


@pytest.fixture(scope="module")
def apple_mov(tmp_path_factory):
    path = tmp_path_factory.mktemp("apple") / "IMG_0001.MOV"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=32x32:rate=10:duration=0.5",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-movflags",
        "use_metadata_tags",
        "-metadata",
        "com.apple.quicktime.make=Apple",
        "-metadata",
        "com.apple.quicktime.model=iPhone 12",
        "-metadata",
        "com.apple.quicktime.creationdate=2021-07-04T09:30:00+0200",
        "-metadata",
        "com.apple.quicktime.content.identifier=1F2E3D4C-0000-1111-2222-333344445555",
        "-metadata",
        "com.apple.quicktime.location.ISO6709=+37.3349-122.0090+010.000/",
        str(path),
    )
    return path


def test_apple_keys_give_camera_offset_and_live_photo_id(apple_mov):
    info = extract(apple_mov)
    assert (info.kind, info.mime, info.has_audio) == ("video", "video/quicktime", False)
    assert (info.camera_make, info.camera_model) == ("Apple", "iPhone 12")
    assert info.live_photo_id == "1F2E3D4C-0000-1111-2222-333344445555"
    assert (info.latitude, info.longitude, info.altitude) == (37.3349, -122.009, 10.0)
    assert info.taken_at == datetime(2021, 7, 4, 7, 30, tzinfo=UTC)
    assert info.taken_at_offset == 120


TAG_FIELDS = ("taken_at", "taken_at_offset", "taken_at_source", "latitude", "longitude", "altitude",
              "camera_make", "camera_model", "live_photo_id")


def tag_fields(info):
    return {name: getattr(info, name) for name in TAG_FIELDS}


def test_tags_alone_give_the_full_reads_time_place_and_camera_without_starting_ffprobe(
    rotated_mp4, apple_mov, monkeypatch
):
    files = [*rotated_mp4, apple_mov]
    full = [tag_fields(extract(path)) for path in files]

    def refuse(command, **kwargs):
        raise AssertionError(f"started {command[0]}")

    monkeypatch.setattr(video_module.subprocess, "run", refuse)
    assert [tag_fields(extract(path, decode=False, tags_only=True)) for path in files] == full
    assert full[0]["taken_at"] == datetime(2023, 6, 1, 10, 20, 30, tzinfo=UTC)
    assert full[2]["taken_at_offset"] == 120 and full[2]["live_photo_id"]


def test_tags_alone_of_a_truncated_video_are_a_clear_error(rotated_mp4, tmp_path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(rotated_mp4[0].read_bytes()[:2000])
    with pytest.raises(MetadataError):
        extract(broken, decode=False, tags_only=True)


@pytest.mark.parametrize(
    ("name", "codec_args", "mime", "codec"),
    [
        ("song.mp3", ["-c:a", "libmp3lame"], "audio/mpeg", "mp3"),
        ("voice.m4a", ["-c:a", "aac"], "audio/mp4", "aac"),
    ],
)
def test_audio_files(tmp_path, name, codec_args, mime, codec):
    path = tmp_path / name
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2", *codec_args, str(path))
    info = extract(path)
    assert (info.kind, info.mime, info.audio_codec, info.has_audio) == ("audio", mime, codec, True)
    assert info.video_codec == "" and info.width is None
    assert info.duration == pytest.approx(2.0, abs=0.15)


def test_truncated_video_is_a_clear_error(rotated_mp4, tmp_path):
    plain, _ = rotated_mp4
    data = plain.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(MetadataError, match="truncated|ffprobe"):
        extract(cut)


def test_ffprobe_that_hangs_is_stopped(monkeypatch, rotated_mp4):
    plain, _ = rotated_mp4

    def hang(command, **kwargs):
        assert kwargs["timeout"] == video_module.FFPROBE_TIMEOUT_S
        raise subprocess.TimeoutExpired(command, kwargs["timeout"])

    monkeypatch.setattr(video_module.subprocess, "run", hang)
    with pytest.raises(MetadataError, match="no answer within"):
        extract(plain)


def test_xmp_in_an_mp4_uuid_box_is_read(rotated_mp4, tmp_path):
    plain, _ = rotated_mp4
    packet = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
        b'xmp:CreateDate="2022-02-02T10:00:00+01:00" tiff:Orientation="6" tiff:Make="DJI"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    payload = bytes.fromhex("be7acfcb97a942e89c71999491e3afac") + packet
    path = tmp_path / "DJI_0001.MP4"
    path.write_bytes(plain.read_bytes() + struct.pack(">I", 8 + len(payload)) + b"uuid" + payload)
    info = extract(path)
    assert (info.taken_at_source, info.taken_at_offset, info.camera_make) == ("xmp", 60, "DJI")
    assert info.taken_at == datetime(2022, 2, 2, 9, 0, tzinfo=UTC)
    assert info.orientation is None  # videos turn by their display matrix only
