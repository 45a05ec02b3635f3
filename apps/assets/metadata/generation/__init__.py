"""Generation parameters that AI image tools embed (A1111/Forge, ComfyUI, InvokeAI, NovelAI, Fooocus).

`generation_of(...)` gathers the texts a file carries (sources.py) and reads them into one
normalised record (record.py), whatever tool wrote them; `MetadataStage` stores it as the asset's
AssetGeneration row.
"""

import html
import logging

from .. import xmp as xmp_props
from .read import generation_from
from .sources import decode_user_comment, exif_texts, png_texts

logger = logging.getLogger(__name__)
COMFY_CAMERA_PREFIXES = ("prompt:", "workflow:")


def generation_of(path, fmt: str, tiff: bytes | None, xmp: str) -> dict | None:
    """The record for one photo (None when it carries none); never raises."""
    texts: dict[str, str] = {}
    if fmt == "png":
        try:
            texts.update(png_texts(path))
        except OSError as exc:
            logger.info("PNG text chunks of %s unreadable: %s", path, exc)
    texts.update(exif_texts(tiff))
    if xmp:
        for name in ("exif:UserComment", "dc:description"):
            value = xmp_props.prop(xmp, name)
            if value:
                texts[f"XMP:{name.split(':')[1]}"] = html.unescape(value)  # XML entities: &amp; &lt;
    return generation_from(texts) if texts else None


__all__ = ["COMFY_CAMERA_PREFIXES", "decode_user_comment", "generation_from", "generation_of", "png_texts"]
