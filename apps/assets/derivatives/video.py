"""Video posters, browser-playable transcodes and audio extracts, by ffmpeg/ffprobe subprocesses.

Every subprocess has a timeout: a corrupt or hostile file must fail, never hang a worker.
ffmpeg applies the display rotation (autorotate) when decoding, so posters and transcodes
come out upright and the transcode carries no rotation flag for the player to apply again.
"""

import io
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageStat

from .storage import atomic_path

PROBE_TIMEOUT = 30
FRAME_TIMEOUT = 60
# Seconds tried for the poster: the first whose frame is not (nearly) black wins.
POSTER_CANDIDATES = (0, 1, 2, 3, 5, 8)
# Mean luma (0-255) above which a frame counts as "not black"; fades from black sit at ~16.
BLACK_LUMA = 28
TRANSCODE_LONG_EDGE, TRANSCODE_SHORT_EDGE = 1920, 1080
# veryfast: about 2x the speed of "medium" for ~10 % more bytes; these files are for viewing, not archiving.
TRANSCODE_PRESET = "veryfast"

# What <video> plays in current Chrome, Firefox and Safari without help.
PLAYABLE = {
    # container family: (video codecs, audio codecs)
    "mp4": ({"h264"}, {"aac", "mp3"}),
    "webm": ({"vp8", "vp9", "av1"}, {"opus", "vorbis"}),
}
CONTAINER_BY_EXTENSION = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mp4", ".webm": "webm"}
CODEC_ALIASES = {"avc": "h264", "avc1": "h264", "x264": "h264", "mp4a": "aac", "mp4a.40.2": "aac"}


class VideoError(Exception):
    """ffmpeg or ffprobe could not read or convert the file; the message carries its reason."""


@dataclass(frozen=True)
class VideoInfo:
    duration: float | None
    video_codec: str
    audio_codec: str
    width: int | None
    height: int | None


def _run(command: list[str], timeout: float) -> bytes:
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise VideoError(f"{command[0]} took longer than {timeout:.0f}s") from exc
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise VideoError(f"{command[0]} failed: {' | '.join(reason) or done.returncode}")
    return done.stdout


def probe(source: Path) -> VideoInfo:
    out = _run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(source)],
        PROBE_TIMEOUT,
    )
    data = json.loads(out or b"{}")
    streams = data.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video" and not _is_cover_art(s)), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if video is None and audio is None:
        raise VideoError(f"{source.name}: no audio or video stream")
    duration = data.get("format", {}).get("duration")
    return VideoInfo(
        duration=float(duration) if duration not in (None, "N/A") else None,
        video_codec=(video or {}).get("codec_name", ""),
        audio_codec=(audio or {}).get("codec_name", ""),
        width=(video or {}).get("width"),
        height=(video or {}).get("height"),
    )


def _is_cover_art(stream: dict) -> bool:
    return bool(stream.get("disposition", {}).get("attached_pic"))


def _norm(codec: str | None) -> str:
    codec = (codec or "").strip().lower()
    return CODEC_ALIASES.get(codec, codec)


def plays_in_browsers(filename: str, video_codec: str, audio_codec: str) -> bool:
    """True when the original can be handed to <video> as it is (H.264/AAC in MP4/MOV, VP9/Opus in WebM)."""
    container = CONTAINER_BY_EXTENSION.get(Path(filename).suffix.lower())
    if container is None:
        return False
    video_codecs, audio_codecs = PLAYABLE[container]
    audio = _norm(audio_codec)
    return _norm(video_codec) in video_codecs and (not audio or audio in audio_codecs)


def _grab_frame(source: Path, second: float, long_edge: int) -> Image.Image:
    # -ss before -i seeks by keyframe (fast); scaling in ffmpeg keeps the pipe small for 4K sources.
    scale = f"scale='min({long_edge},iw)':'min({long_edge},ih)':force_original_aspect_ratio=decrease"
    # fmt: off
    out = _run(
        ["ffmpeg", "-v", "error", "-nostdin", "-ss", f"{second:.3f}", "-i", str(source), "-map", "0:v:0",
         "-frames:v", "1", "-vf", scale, "-f", "image2pipe", "-c:v", "bmp", "-"],
        FRAME_TIMEOUT,
    )
    # fmt: on
    if not out:
        raise VideoError(f"{source.name}: no frame at {second:.0f}s")
    image = Image.open(io.BytesIO(out))
    image.load()
    return image


def poster_frame(source: Path, duration: float | None, long_edge: int) -> Image.Image:
    """The frame at the first whole second that is not black (fade-ins, lens caps); upright, RGB."""
    seconds = [s for s in POSTER_CANDIDATES if duration is None or s < duration] or [0]
    brightest = None
    for second in seconds:
        try:
            frame = _grab_frame(source, second, long_edge)
        except VideoError:
            if duration is None and brightest is not None:
                break  # ran past the end of a file whose length we did not know
            raise
        luma = ImageStat.Stat(frame.convert("L")).mean[0]
        if luma > BLACK_LUMA:
            return frame.convert("RGB")
        if brightest is None or luma > brightest[0]:
            brightest = (luma, frame)
    return brightest[1].convert("RGB")


def _transcode_filter() -> str:
    # Landscape fits 1920x1080, portrait 1080x1920; never upscaled; even sizes for yuv420p.
    long_, short = TRANSCODE_LONG_EDGE, TRANSCODE_SHORT_EDGE
    return (
        f"scale=w='if(gte(iw,ih),min(iw,{long_}),min(iw,{short}))'"
        f":h='if(gte(iw,ih),min(ih,{short}),min(ih,{long_}))'"
        ":force_original_aspect_ratio=decrease:force_divisible_by=2,format=yuv420p"
    )


def transcode_timeout(duration: float | None) -> float:
    # veryfast x264 at 1080p runs around real time on 2 slow cores; leave a wide margin.
    return max(120.0, 6 * (duration or 0))


def transcode(source: Path, destination: Path, duration: float | None = None) -> None:
    """H.264/AAC MP4 with the index up front (+faststart) so playback starts before the download ends."""
    with atomic_path(destination) as temp:
        # fmt: off
        _run(
            ["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(source),
             "-map", "0:v:0", "-map", "0:a:0?", "-vf", _transcode_filter(),
             "-c:v", "libx264", "-preset", TRANSCODE_PRESET, "-crf", "23",
             "-profile:v", "high", "-c:a", "aac", "-b:a", "128k", "-ac", "2",
             "-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4", str(temp)],
            transcode_timeout(duration),
        )
        # fmt: on


def extract_audio(source: Path, destination: Path, duration: float | None = None) -> None:
    """The first audio stream as MP3 (VBR ~165 kb/s): what <audio> plays everywhere."""
    with atomic_path(destination) as temp:
        # fmt: off
        _run(
            ["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(source), "-map", "0:a:0", "-vn",
             "-c:a", "libmp3lame", "-q:a", "4", "-f", "mp3", str(temp)],
            max(60.0, (duration or 0) / 4),
        )
        # fmt: on
