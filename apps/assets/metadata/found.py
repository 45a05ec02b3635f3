"""The accumulator readers fill: first source to give a field wins, warnings and raw tags collect."""

from dataclasses import dataclass, field, fields, replace

from . import exif, xmp
from .capture_time import Candidate
from .generation import COMFY_CAMERA_PREFIXES
from .types import MediaInfo

# What a sidecar overrides in the file rather than only fills in: what people edit in a photo
# manager (darktable, digiKam, Lightroom, MediaHub itself) and write beside the original.
SIDECAR_WINS = ("title", "description", "latitude", "longitude")

_FIELD_NAMES = {f.name for f in fields(MediaInfo)}
_MAX_XMP_DUMP = 32 * 1024


@dataclass
class Found:
    info: MediaInfo
    candidates: list[Candidate] = field(default_factory=list)
    stored_size: tuple[int, int] | None = None  # pixels as stored, before orientation
    size_is_displayed: bool = False  # HEIF decoders already apply irot/imir
    failure: str = ""  # broken pixel data: reported after the metadata has been read
    decode: bool = True  # False: headers and tags only, no pixel check and no pHash
    tags_only: bool = False  # True: a video's container tags only, without ffprobe (extract's docstring)

    def fail(self, message: str) -> None:
        self.failure = self.failure or message

    @property
    def tags(self) -> dict:
        return self.info.tags

    def warn(self, message: str) -> None:
        if message not in self.info.warnings:
            self.info.warnings.append(message)

    def apply(self, values: dict) -> None:
        """Fill fields that are still empty: callers apply the most trusted source first."""
        for name, value in values.items():
            if name not in _FIELD_NAMES or value in (None, ""):
                continue
            current = getattr(self.info, name)
            if current in (None, "", False):
                setattr(self.info, name, value)

    def set_stored_size(self, width: int, height: int, displayed: bool = False) -> None:
        if width and height and self.stored_size is None:
            self.stored_size = (int(width), int(height))
            self.size_is_displayed = displayed

    def add_exif(self, tags: dict, tiff: bytes | None = None) -> None:
        if not tags:
            return
        values, candidates = exif.exif_fields(tags, tiff)
        self.apply(values)
        self.candidates.extend(candidates)
        self.tags.setdefault("EXIF", {}).update(exif.dump(tags))

    def add_xmp(self, packet) -> None:
        text = xmp.as_text(packet)
        if not text:
            return
        values, candidates = xmp.xmp_fields(text)
        self.apply(values)
        self.candidates.extend(candidates)
        self.tags["XMP"] = text[:_MAX_XMP_DUMP]

    def add_generation(self, record: dict | None) -> None:
        if not record:
            return
        self.info.generation = record
        # ComfyUI's WebP saver puts its graphs in the EXIF Make and Model: they name no camera.
        for name in ("camera_make", "camera_model"):
            if getattr(self.info, name).startswith(COMFY_CAMERA_PREFIXES):
                setattr(self.info, name, "")
    def add_sidecar(self, packet: str) -> None:
        """An .xmp beside the file: its title, description, location and date win over the file's
        own; its other fields only fill what the file left empty."""
        text = xmp.as_text(packet)
        if not text:
            return
        values, candidates = xmp.xmp_fields(text)
        if "latitude" not in values:  # a location is a pair: never half from each source
            values.pop("longitude", None)
        for name in SIDECAR_WINS:
            if values.get(name) not in (None, ""):
                setattr(self.info, name, values.pop(name))
        self.apply(values)
        self.candidates.extend(replace(c, source="sidecar") if c.source == "xmp" else c for c in candidates)
        self.tags["XMPSidecar"] = text[:_MAX_XMP_DUMP]
