"""What extraction returns: one flat record per file, whatever its format."""

from dataclasses import dataclass, field
from datetime import datetime


class MetadataError(Exception):
    """The file cannot be read as the media it claims to be; the message says what is wrong."""


class CorruptMedia(MetadataError):
    """The metadata was read but the picture or stream is broken; `info` holds what was read."""

    def __init__(self, message: str, info: "MediaInfo | None" = None):
        super().__init__(message)
        self.info = info


class UnsupportedMedia(MetadataError):
    """The content is not a photo, video or audio format MediaHub knows."""


@dataclass
class MediaInfo:
    kind: str = "other"  # photo, video, audio, other (Asset.Kind values)
    mime: str = ""
    format: str = ""  # short name of the sniffed container: jpeg, heif, mp4, cr3 ...
    width: int | None = None  # as displayed, after orientation / rotation
    height: int | None = None
    duration: float | None = None

    taken_at: datetime | None = None  # always timezone-aware (see capture_time.py for the rule)
    taken_at_offset: int | None = None  # minutes east of UTC, None when unknown
    taken_at_source: str = ""  # exif, gps, xmp, quicktime, mtime

    camera_make: str = ""
    camera_model: str = ""
    lens: str = ""
    f_number: float | None = None
    exposure_time: float | None = None
    iso: int | None = None
    focal_length: float | None = None
    focal_length_35mm: float | None = None

    title: str = ""  # what people wrote into the file (XMP dc:title / dc:description)
    description: str = ""

    latitude: float | None = None
    longitude: float | None = None
    altitude: float | None = None

    orientation: int | None = None
    video_codec: str = ""
    audio_codec: str = ""
    frame_rate: float | None = None
    rotation: int | None = None  # video display rotation, clockwise degrees
    has_audio: bool | None = None

    phash: int | None = None  # signed 64-bit, fits a PostgreSQL bigint
    live_photo_id: str = ""
    burst_id: str = ""  # Apple BurstUUID
    motion_photo: bool = False
    motion_photo_offset: int | None = None  # bytes from the end of the file where the embedded video starts

    generation: dict | None = None  # what an AI image tool embedded (generation/record.py's fields)
    warnings: list[str] = field(default_factory=list)  # readable but odd: wrong extension, broken EXIF ...
    tags: dict = field(default_factory=dict)  # raw dump, JSON-safe, for the detail view
