"""Video derivatives from real clips made by ffmpeg: poster past a black start, transcodes, audio."""

import shutil

import pytest
from PIL import Image

from apps.assets.derivatives import video
from apps.assets.derivatives.stage import TranscodeStage, VideoPosterStage
from apps.assets.derivatives.storage import Derivative, existing, path_for
from apps.assets.models import Asset
from tests.assets.media_samples import asset_for, close, make_clip, probe

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("ffmpeg") is None, reason="ffmpeg is not installed (apt-get install ffmpeg)"
    ),
]


def video_asset(library, name, **fields):
    return asset_for(library, name, kind=Asset.Kind.VIDEO, mime="video/mp4", **fields)


def test_poster_skips_a_black_first_second(library, library_root):
    make_clip(library_root / "fade.mp4", black_first_second=True, seconds=2, audio_codec=None)
    asset = video_asset(library, "fade.mp4", duration=3.0, video_codec="h264")

    VideoPosterStage().run(asset)

    poster = Image.open(existing(asset.pk, Derivative.PREVIEW))
    assert poster.size == (160, 120)
    assert close(poster.getpixel((80, 60)), (255, 0, 0), tolerance=40), poster.getpixel((80, 60))
    thumbnail = Image.open(existing(asset.pk, Derivative.THUMBNAIL))
    assert thumbnail.format == "WEBP" and close(thumbnail.getpixel((80, 60)), (255, 0, 0), tolerance=40)


def test_poster_of_an_all_black_clip_is_its_brightest_frame_not_an_error(library, library_root):
    path = library_root / "black.mp4"
    make_clip(path, black_first_second=True, seconds=1, audio_codec=None)
    asset = video_asset(library, "black.mp4", duration=None)  # unknown duration: probed

    VideoPosterStage().run(asset)

    assert existing(asset.pk, Derivative.THUMBNAIL) is not None


@pytest.mark.parametrize(
    "name, codec, audio, indexed_codec",
    [("clip.avi", "mpeg4", "libmp3lame", "mpeg4"), ("phone.mov", "libx265", "aac", "hevc")],
)
def test_unplayable_videos_get_an_h264_aac_faststart_mp4(
    library, library_root, name, codec, audio, indexed_codec
):
    make_clip(library_root / name, video_codec=codec, audio_codec=audio, seconds=1)
    asset = video_asset(library, name, duration=1.0, video_codec=indexed_codec, audio_codec="aac")
    stage = TranscodeStage()
    assert stage.applies_to(asset)

    stage.run(asset)

    output = path_for(asset.pk, Derivative.TRANSCODE)
    info = probe(output)
    codecs = {s["codec_type"]: s["codec_name"] for s in info["streams"]}
    assert codecs == {"video": "h264", "audio": "aac"}
    assert "mp4" in info["format"]["format_name"]
    head = output.read_bytes()[:4096]
    assert head.find(b"moov") != -1 and (
        head.find(b"mdat") == -1 or head.find(b"moov") < head.find(b"mdat")
    ), "faststart puts the index before the media data"


def test_the_transcode_is_upright_and_carries_no_rotation_flag(library, library_root):
    make_clip(library_root / "sideways.mp4", video_codec="libx265", rotate=90, audio_codec=None)
    asset = video_asset(library, "sideways.mp4", duration=1.0, video_codec="hevc", rotation=270)

    TranscodeStage().run(asset)
    VideoPosterStage().run(asset)

    stream = probe(path_for(asset.pk, Derivative.TRANSCODE))["streams"][0]
    assert (stream["width"], stream["height"]) == (120, 160)
    assert not any("rotation" in side for side in stream.get("side_data_list", []))
    assert Image.open(existing(asset.pk, Derivative.PREVIEW)).size == (120, 160), "the poster is upright too"


def test_big_videos_are_scaled_to_1080p_at_most(tmp_path):
    make_clip(tmp_path / "wide.avi", video_codec="mjpeg", size="2400x1200", audio_codec=None, seconds=1)

    video.transcode(tmp_path / "wide.avi", tmp_path / "out.mp4", 1.0)

    stream = probe(tmp_path / "out.mp4")["streams"][0]
    assert (stream["width"], stream["height"]) == (1920, 960)


def test_h264_aac_mp4_plays_as_it_is(library, library_root):
    make_clip(library_root / "ok.mp4")
    asset = video_asset(library, "ok.mp4", video_codec="h264", audio_codec="aac")
    assert not TranscodeStage().applies_to(asset)


def test_a_wrongly_indexed_codec_is_corrected_by_the_probe(library, library_root):
    make_clip(library_root / "ok.mp4")
    asset = video_asset(library, "ok.mp4", video_codec="", audio_codec="")
    assert TranscodeStage().applies_to(asset)  # nothing indexed yet: assume the worst

    TranscodeStage().run(asset)

    assert existing(asset.pk, Derivative.TRANSCODE) is None, "H.264/AAC needs no transcode"


@pytest.mark.parametrize(
    "filename, video_codec, audio_codec, plays",
    [
        ("a.mp4", "h264", "aac", True),
        ("a.MOV", "h264", "", True),
        ("a.m4v", "avc1", "mp3", True),
        ("a.webm", "vp9", "opus", True),
        ("a.mov", "hevc", "aac", False),
        ("a.mp4", "mpeg4", "aac", False),
        ("a.avi", "h264", "mp3", False),
        ("a.mts", "h264", "ac3", False),
        ("a.mkv", "h264", "aac", False),
        ("a.mov", "mjpeg", "pcm_s16le", False),
        ("a.mov", "h264", "pcm_s16le", False),
    ],
)
def test_which_originals_browsers_play(filename, video_codec, audio_codec, plays):
    assert video.plays_in_browsers(filename, video_codec, audio_codec) is plays


def test_audio_is_extracted_as_mp3(tmp_path):
    make_clip(tmp_path / "talk.mov", audio_codec="aac")

    video.extract_audio(tmp_path / "talk.mov", tmp_path / "talk.mp3", 1.0)

    assert [s["codec_name"] for s in probe(tmp_path / "talk.mp3")["streams"]] == ["mp3"]


def test_a_corrupt_video_raises_a_clear_error(library, library_root):
    (library_root / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500)
    asset = video_asset(library, "broken.mp4", video_codec="hevc")

    with pytest.raises(video.VideoError, match="ffprobe failed"):
        TranscodeStage().run(asset)
    with pytest.raises(video.VideoError):
        VideoPosterStage().run(asset)
