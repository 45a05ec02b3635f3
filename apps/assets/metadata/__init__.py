"""Metadata extraction for photos, RAW files, videos and audio.

`extract(path)` sniffs the content (not the extension), runs the reader for the
format and returns a MediaInfo; `MetadataStage` (stage.py) writes it on an Asset.
"""

from .extract import extract
from .types import CorruptMedia, MediaInfo, MetadataError, UnsupportedMedia

__all__ = ["CorruptMedia", "MediaInfo", "MetadataError", "UnsupportedMedia", "extract"]
