"""Which file answers each media request, made on demand when that is cheap.

Thumbnails and previews of photos are made synchronously when missing (tens of ms from a
reduced-scale decode). Video posters and transcodes never are: they belong to workers, and
a request for one that is not ready yet is answered "not available", not made to wait.
"""

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from apps.assets.models import Asset
from apps.core.paths import PathOutsideRoot

from . import images, video
from .storage import Derivative, existing, path_for

log = logging.getLogger(__name__)

MP3 = "audio/mpeg"
PREVIEW_TYPES = {".jpg": "image/jpeg", ".webp": "image/webp"}
# The type <video> needs to pick a decoder; QuickTime files that play are ISO-BMFF like MP4.
PLAYABLE_VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}


class MediaUnavailable(Exception):
    """The asset exists but this rendition of it does not (yet); the message says why."""


@dataclass(frozen=True)
class MediaFile:
    path: Path
    content_type: str
    kind: str  # part of the ETag: the same asset has several renditions


def version(asset: Asset) -> str:
    """Changes whenever any rendition of the asset changes: the `?v=` that makes media URLs immutable."""
    return f"{asset.content_hash[:16] or asset.pk.hex[:16]}{asset.user_rotation or ''}"


def original(asset: Asset) -> MediaFile:
    try:
        path = asset.source_path()
    except PathOutsideRoot as exc:
        log.warning("refused to serve %s: %s", asset.pk, exc)
        raise MediaUnavailable("The original is not available.") from exc
    if not path.is_file():
        raise MediaUnavailable("The original is missing from its library.")
    content_type = asset.mime or mimetypes.guess_type(asset.filename)[0] or "application/octet-stream"
    return MediaFile(path, content_type, "original")


def image(asset: Asset, kind: Derivative) -> MediaFile:
    """The thumbnail or preview; made now for a photo that has none yet."""
    path = existing(asset.pk, kind)
    if path is None and asset.kind == Asset.Kind.PHOTO:
        source = original(asset).path
        try:
            images.make_photo_derivatives(source, asset.pk, rotate=asset.user_rotation)
        except images.ImageDecodeError as exc:
            raise MediaUnavailable(str(exc)) from exc
        path = existing(asset.pk, kind)
    if path is None:
        raise MediaUnavailable(f"No {kind} has been made for this asset yet.")
    content_type = "image/webp" if kind is Derivative.THUMBNAIL else PREVIEW_TYPES[path.suffix]
    return MediaFile(path, content_type, str(kind))


def playable_video(asset: Asset) -> MediaFile:
    """The transcode when there is one, else the original when browsers play it as it is."""
    if asset.kind != Asset.Kind.VIDEO:
        raise MediaUnavailable("This asset is not a video.")
    transcode = existing(asset.pk, Derivative.TRANSCODE)
    if transcode is not None:
        return MediaFile(transcode, "video/mp4", "transcode")
    if video.plays_in_browsers(asset.filename, asset.video_codec, asset.audio_codec):
        source = original(asset)
        container = video.CONTAINER_BY_EXTENSION[Path(asset.filename).suffix.lower()]
        return MediaFile(source.path, PLAYABLE_VIDEO_TYPES[container], "original")
    raise MediaUnavailable("This video is being converted for the browser; try again later.")


def audio(asset: Asset) -> MediaFile:
    """MP3 originals as they are; the sound of anything else extracted once and kept."""
    if asset.kind not in (Asset.Kind.AUDIO, Asset.Kind.VIDEO):
        raise MediaUnavailable("This asset has no sound.")
    if asset.kind == Asset.Kind.VIDEO and asset.has_audio is False:
        raise MediaUnavailable("This video has no sound track.")
    if asset.mime == MP3 or asset.filename.lower().endswith(".mp3"):
        return MediaFile(original(asset).path, MP3, "original")
    cached = existing(asset.pk, Derivative.AUDIO)
    if cached is None:
        source = original(asset).path
        cached = path_for(asset.pk, Derivative.AUDIO)
        try:
            video.extract_audio(source, cached, asset.duration)
        except video.VideoError as exc:
            raise MediaUnavailable(f"No sound could be extracted: {exc}") from exc
    return MediaFile(cached, MP3, "audio")


def motion(asset: Asset, partner: Asset | None) -> MediaFile:
    """What a live photo plays: a motion photo's own embedded clip, or the video of the still's pair
    (`partner`, the stack's video member the caller sees)."""
    if asset.motion_photo:
        clip = existing(asset.pk, Derivative.MOTION)
        if clip is None:
            raise MediaUnavailable("The motion photo's video has not been extracted yet.")
        return MediaFile(clip, "video/mp4", "motion")
    if partner is None:
        raise MediaUnavailable("This photo has no motion.")
    return playable_video(partner)


def developed(asset: Asset) -> MediaFile:
    """A JPEG developed from a RAW original, made once on the first request and kept."""
    if Path(asset.filename).suffix.lower() not in images.RAW_EXTENSIONS:
        raise MediaUnavailable("Only a RAW original is developed into a JPEG.")
    cached = existing(asset.pk, Derivative.DEVELOPED)
    if cached is None:
        cached = path_for(asset.pk, Derivative.DEVELOPED)
        try:
            images.develop_raw(original(asset).path, cached)
        except images.ImageDecodeError as exc:
            raise MediaUnavailable(str(exc)) from exc
    return MediaFile(cached, "image/jpeg", "developed")
