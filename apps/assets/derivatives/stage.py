"""Pipeline stages that make derivatives (listed in MEDIAHUB_PIPELINE_STAGES).

A photo's preview and thumbnail come from one decode of the original, whichever of the two
stages runs first; the other finds that render in this process's memo and does nothing.
Re-running "thumbnail" alone shrinks the stored preview (a few ms) instead of the original.
"""

from collections import OrderedDict

from django.conf import settings

from apps.assets.models import Asset, AssetMetadata
from apps.scanning.pipeline import Stage

from . import images, motion, video
from .storage import Derivative, existing, path_for, total_size

# asset id -> (source mtime, source size, user rotation, preview mtime) of renders made here.
_renders: OrderedDict = OrderedDict()
_RENDERS_KEPT = 4096


def _is_photo(asset: Asset) -> bool:
    return asset.kind == Asset.Kind.PHOTO


def _render_key(asset: Asset, source_stat) -> tuple | None:
    preview = existing(asset.pk, Derivative.PREVIEW)
    if preview is None or existing(asset.pk, Derivative.THUMBNAIL) is None:
        return None
    return source_stat.st_mtime_ns, source_stat.st_size, asset.user_rotation, preview.stat().st_mtime_ns


def _rendered_here(asset: Asset, source_stat=None) -> bool:
    """True when this process made both files from the file as it is now (and nobody replaced them)."""
    remembered = _renders.get(asset.pk)
    if remembered is None:
        return False
    try:
        source_stat = source_stat or asset.source_path().stat()
    except OSError:
        return False
    return remembered == _render_key(asset, source_stat)


def _record_size(asset: Asset) -> None:
    """Store the bytes of the asset's derivatives, for the storage figures of the Stats page."""
    size = total_size(asset.pk)
    if size != asset.derivatives_size:
        Asset.objects.filter(pk=asset.pk).update(derivatives_size=size)
        asset.derivatives_size = size


def _render_photo(asset: Asset) -> None:
    """Preview and thumbnail from one decode, unless this process just made both from the same file."""
    source = asset.source_path()
    source_stat = source.stat()
    if _rendered_here(asset, source_stat):
        return
    fingerprints = images.make_photo_derivatives(source, asset.pk, rotate=asset.user_rotation)
    Asset.objects.filter(pk=asset.pk).update(phash=fingerprints.phash, colour_histogram=fingerprints.colour_histogram)
    asset.phash, asset.colour_histogram = fingerprints.phash, fingerprints.colour_histogram
    _record_size(asset)
    _renders[asset.pk] = _render_key(asset, source_stat)
    _renders.move_to_end(asset.pk)
    while len(_renders) > _RENDERS_KEPT:
        _renders.popitem(last=False)


class PreviewStage(Stage):
    """Preview (~1600 px) and thumbnail of a photo from one reduced-scale decode of the original."""

    name = "preview"

    def applies_to(self, asset: Asset) -> bool:
        return _is_photo(asset)

    def run(self, asset: Asset) -> None:
        _render_photo(asset)


class ThumbnailStage(Stage):
    """Grid thumbnail (WebP): made with the preview, or shrunk from the stored preview when re-run alone."""

    name = "thumbnail"

    def applies_to(self, asset: Asset) -> bool:
        return _is_photo(asset)

    def run(self, asset: Asset) -> None:
        preview = existing(asset.pk, Derivative.PREVIEW)
        if preview is None:
            _render_photo(asset)
            return
        if _rendered_here(asset):
            return
        # The stored preview is already upright, rotated by the user and in sRGB.
        with images.display_image(preview, settings.MEDIAHUB_THUMBNAIL_SIZE) as image:
            images.write_thumbnail(image, asset.pk)
        _record_size(asset)


class VideoPosterStage(Stage):
    """The first non-black second of a video as its preview and thumbnail."""

    name = "poster"

    def applies_to(self, asset: Asset) -> bool:
        return asset.kind == Asset.Kind.VIDEO

    def run(self, asset: Asset) -> None:
        source = asset.source_path()
        duration = asset.duration if asset.duration else video.probe(source).duration
        frame = video.poster_frame(source, duration, settings.MEDIAHUB_PREVIEW_SIZE)
        images.write_image_derivatives(images.rotate_clockwise(frame, asset.user_rotation), asset.pk)
        _record_size(asset)


def needs_transcode(asset: Asset) -> bool:
    """From the indexed codecs (no I/O): a video whose original <video> cannot play."""
    return asset.kind == Asset.Kind.VIDEO and not video.plays_in_browsers(
        asset.filename, asset.video_codec, asset.audio_codec
    )


class TranscodeStage(Stage):
    """A browser-playable H.264/AAC MP4 (<= 1080p) for videos browsers cannot play as they are.

    Runs only in workers: a transcode takes seconds to minutes, far too long for a web request, and
    too long for the default queue's claim window: it runs on the long queue.
    """

    name = "transcode"
    long_running = True

    def applies_to(self, asset: Asset) -> bool:
        return needs_transcode(asset)

    def run(self, asset: Asset) -> None:
        source = asset.source_path()
        info = video.probe(source)
        # The index may lack codecs (metadata failed): the probe has the last word.
        if video.plays_in_browsers(asset.filename, info.video_codec, info.audio_codec):
            path_for(asset.pk, Derivative.TRANSCODE).unlink(missing_ok=True)
            _record_size(asset)
            return
        if not info.video_codec:
            raise video.VideoError(f"{asset.filename}: no video stream to transcode")
        video.transcode(source, path_for(asset.pk, Derivative.TRANSCODE), info.duration)
        _record_size(asset)


class MotionVideoStage(Stage):
    """The short video a Samsung/Google motion photo embeds, as a playable MP4 (see motion.py)."""

    name = "motion"

    def applies_to(self, asset: Asset) -> bool:
        return asset.kind == Asset.Kind.PHOTO and asset.motion_photo

    def run(self, asset: Asset) -> None:
        metadata = AssetMetadata.objects.filter(asset=asset).first()
        offset = motion.motion_offset(metadata.tags if metadata else {})
        motion.extract_motion(asset.source_path(), offset, path_for(asset.pk, Derivative.MOTION))
