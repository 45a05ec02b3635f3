"""Small stacks on disk for tests: a RAW+JPEG pair, a burst, a live photo pair, a motion photo."""

import tempfile
from pathlib import Path

from PIL import ExifTags, Image

from apps.scanning import services as scanning
from tests.assets.media_samples import make_clip
from tests.assets.test_metadata import camera_exif, gradient

STAGES = [
    "apps.assets.metadata.stage.MetadataStage",
    "apps.assets.stacks.stage.StackStage",
    "apps.assets.derivatives.stage.MotionVideoStage",
]


def shot(path: Path, *, model: str, taken: str, fmt: str = "JPEG", **params) -> Path:
    """A small photo whose EXIF names the camera `model` and the capture time `taken`."""
    exif = camera_exif(gps=False)
    exif[ExifTags.Base.Model] = model
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    path.parent.mkdir(parents=True, exist_ok=True)
    gradient((96, 64)).save(path, format=fmt, exif=exif, **params)
    return path


def motion_photo(path: Path) -> Path:
    """A Google motion photo: a JPEG whose XMP announces the MP4 appended after it."""
    with tempfile.TemporaryDirectory() as scratch:  # outside the library: the clip is no file of its own
        video = make_clip(Path(scratch) / "clip.mp4", audio_codec=None).read_bytes()
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" GCamera:MicroVideo="1" '
        b'GCamera:MicroVideoOffset="' + str(len(video)).encode() + b'"/></rdf:RDF></x:xmpmeta>'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    gradient((96, 64)).save(path, format="JPEG", xmp=xmp)
    path.write_bytes(path.read_bytes() + video)
    return path


def make_stacks(root: Path) -> dict[str, Path]:
    """A RAW+JPEG pair, a three-shot burst, a live photo (still + clip of the same name) and a
    single photo, each from a camera of its own so no rule joins them to another group."""
    files = {
        "jpeg": shot(root / "pair/IMG_1.JPG", model="PairCam", taken="2024:03:10 10:00:00"),
        "raw": shot(root / "pair/IMG_1.DNG", model="PairCam", taken="2024:03:10 10:00:00", fmt="TIFF"),
        "burst1": shot(root / "burst/B_1.jpg", model="BurstCam", taken="2024:03:11 09:00:00"),
        "burst2": shot(root / "burst/B_2.jpg", model="BurstCam", taken="2024:03:11 09:00:01"),
        "burst3": shot(root / "burst/B_3.jpg", model="BurstCam", taken="2024:03:11 09:00:02"),
        "single": shot(root / "burst/Alone.jpg", model="BurstCam", taken="2024:03:11 09:05:00"),
        "still": shot(root / "live/IMG_9.jpg", model="LiveCam", taken="2024:03:12 12:00:00"),
    }
    files["clip"] = make_clip(root / "live/IMG_9.mov", audio_codec=None)
    return files


def scan(library):
    return scanning.scan_library(library, inline=True)
