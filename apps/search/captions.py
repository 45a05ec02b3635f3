"""Words people wrote about a photo, read from the stored metadata dump (AssetMetadata.tags).

Keywords and titles come from XMP (`dc:subject`, `lr:hierarchicalSubject`, `dc:title`), Windows
XP* tags and video container tags; descriptions from `dc:description`, EXIF ImageDescription and
UserComment. Cameras stamp their own name into ImageDescription ("OLYMPUS DIGITAL CAMERA"): those
are dropped, the camera is already in the document.
"""

import html
import re

_CAMERA_STAMPS = {"olympus digital camera", "sony dsc", "digital camera", "default", "minolta dsc",
                  "samsung", "lg", "nikon", "kodak", "exif_jpeg_picture", "image", "picture"}
_LIST_ITEM = re.compile(r"<rdf:li[^>]*>(.*?)</rdf:li>", re.S)
_MAX_TEXT = 2000  # a pasted essay in a caption must not bloat every tsvector


def _element(xmp: str, name: str) -> list[str]:
    """All texts of an XMP property: its list items, its element text or its attribute."""
    escaped = re.escape(name)
    block = re.search(r"<" + escaped + r"(?:\s[^>]*)?>(.*?)</" + escaped + ">", xmp, re.S)
    if block:
        items = _LIST_ITEM.findall(block.group(1))
        texts = items if items else [block.group(1)]
    else:
        attribute = re.search(escaped + r"\s*=\s*\"([^\"]*)\"", xmp)
        texts = [attribute.group(1)] if attribute else []
    return [html.unescape(text).strip() for text in texts]


def _xp(value) -> str:
    """Windows XP* tags: UTF-16LE bytes that the dump keeps as a list of numbers."""
    if isinstance(value, list):
        try:
            return bytes(value).decode("utf-16-le", "replace").replace("\x00", "")
        except ValueError:
            return ""
    return value if isinstance(value, str) else ""


def _plain(value) -> str:
    if not isinstance(value, str):
        return ""
    value = value.replace("\x00", "").strip()
    for prefix in ("ASCII", "UNICODE"):  # UserComment's character-code header
        if value.startswith(prefix):
            value = value[len(prefix):].strip()
    return "" if value.lower() in _CAMERA_STAMPS else value


def captions(tags: dict, edited: frozenset[str] | set[str] = frozenset()) -> tuple[list[str], list[str]]:
    """(keywords and titles, descriptions) from one asset's metadata dump. `edited`: "title" and/or
    "description" a user replaced, whose words from the file must no longer find the photo."""
    exif = tags.get("EXIF") or {}
    xmp = tags.get("XMP") or ""
    video = ((tags.get("ffprobe") or {}).get("tags")) or {}
    keywords, descriptions = [], []
    if isinstance(xmp, str) and xmp:
        keywords += _element(xmp, "dc:subject") + _element(xmp, "dc:title")
        keywords += [part for tag in _element(xmp, "lr:hierarchicalSubject") for part in tag.split("|")]
        descriptions += _element(xmp, "dc:description")
    keywords += [_xp(exif.get(f"Image XP{name}")) for name in ("Keywords", "Title", "Subject")]
    descriptions += [_xp(exif.get("Image XPComment")), _plain(exif.get("Image ImageDescription")),
                     _plain(exif.get("EXIF UserComment"))]
    keywords += [_plain(video.get(name)) for name in ("title", "keywords")]
    descriptions += [_plain(video.get(name)) for name in ("description", "comment")]
    if "title" in edited:
        titles = set(_element(xmp, "dc:title") if isinstance(xmp, str) else [])
        titles |= {_xp(exif.get("Image XPTitle")), _plain(video.get("title"))}
        keywords = [k for k in keywords if k not in titles]
    if "description" in edited:
        descriptions = []
    return _unique(keywords), _unique(descriptions)


def _unique(texts: list[str]) -> list[str]:
    return [text[:_MAX_TEXT] for text in dict.fromkeys(t.strip() for t in texts if t and t.strip())]


def keyword_paths(tags: dict) -> list[str]:
    """The file's keywords as tag paths: `lr:hierarchicalSubject` levels joined by `/`, plus the flat
    `dc:subject` and XP keywords that are not already a level of one (Lightroom writes every level
    of `Places|Italy|Rome` into dc:subject as well)."""
    exif = tags.get("EXIF") or {}
    xmp = tags.get("XMP") or ""
    xmp = xmp if isinstance(xmp, str) else ""
    hierarchical = [tag.replace("/", " ").replace("|", "/") for tag in _element(xmp, "lr:hierarchicalSubject")]
    levels = {level.strip().casefold() for path in hierarchical for level in path.split("/")}
    flat = _element(xmp, "dc:subject") + _xp(exif.get("Image XPKeywords")).split(";")
    flat = [word.replace("/", " ") for text in flat for word in text.split(",")]
    kept = [word for word in flat if word.strip() and word.strip().casefold() not in levels]
    return list(dict.fromkeys(p.strip() for p in hierarchical + kept if p.strip()))
