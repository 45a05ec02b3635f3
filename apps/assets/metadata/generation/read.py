"""Which tool made the file, from the texts it left, and its parameters as one record.

Tried in this order, because files carry more than one: an InvokeAI or NovelAI chunk names its
tool for sure; Fooocus writes a `parameters` chunk that is JSON, not A1111 text; ComfyUI saver
nodes that write A1111 text beside the graph are read from the text (already normalised).
"""

import json
import logging

from .a1111 import looks_like_parameters, parse_parameters
from .comfy import parse_comfy
from .record import Generation
from .tools import (
    is_fooocus,
    parse_dream,
    parse_fooocus,
    parse_invokeai,
    parse_novelai,
    parse_sd_metadata,
)

logger = logging.getLogger(__name__)
MAX_JSON = 8 * 1024 * 1024


def load_json(value):
    """Decoded JSON, or None for text that is not JSON, too big, or nested past the parser's depth."""
    if not isinstance(value, str) or len(value) > MAX_JSON:
        return None
    stripped = value.strip()
    if not stripped.startswith(("{", "[")):
        return None
    try:
        return json.loads(stripped)
    except (ValueError, RecursionError):
        return None


def generation_from(texts: dict[str, str]) -> dict | None:
    """The normalised record (Generation.as_dict()) from a file's texts, or None.

    `texts` maps a source to its text: PNG chunk keywords (`parameters`, `prompt`, ...), and
    `UserComment`, `Make`, `Model`, `ImageDescription` from EXIF, `XMP:UserComment` and
    `XMP:description` from XMP. Never raises: an unreadable record is logged and skipped.
    """
    try:
        record = _read(texts)
    except Exception:  # noqa: BLE001 - a file's odd metadata must never fail the metadata stage
        logger.warning("AI generation parameters could not be read", exc_info=True)
        return None
    return record.as_dict() if record is not None else None


def _read(texts: dict[str, str]) -> Generation | None:
    if "invokeai_metadata" in texts:
        return parse_invokeai(load_json(texts["invokeai_metadata"]))
    if "sd-metadata" in texts:
        return parse_sd_metadata(load_json(texts["sd-metadata"]))
    if "Dream" in texts:
        return parse_dream(texts["Dream"])
    if texts.get("Software", "").startswith("NovelAI"):
        return parse_novelai(texts, load_json(texts.get("Comment")))
    for key in ("Fooocus", "parameters", "UserComment"):
        metadata = load_json(texts.get(key))
        # Fooocus's "a1111" scheme writes A1111 text under the same chunk names: only JSON is its own.
        if is_fooocus(metadata) or (key == "parameters" and "fooocus_scheme" in texts and isinstance(metadata, dict)):
            return parse_fooocus(metadata)
    parameters = texts.get("parameters", "")
    if parameters and not load_json(parameters):
        record = parse_parameters(parameters)
        if record:
            return record
    comfy = _comfy(texts)
    if comfy:
        return comfy
    for key in ("UserComment", "XMP:UserComment", "XMP:description"):
        value = texts.get(key, "")
        if value and looks_like_parameters(value):
            return parse_parameters(value)
    return None


def _comfy(texts: dict[str, str]) -> Generation | None:
    """The graphs from PNG chunks, or from EXIF strings 'prompt:{...}' / 'workflow:{...}' (WebP)."""
    prompt, workflow = texts.get("prompt"), texts.get("workflow")
    for key in ("Model", "Make", "ImageDescription"):
        label, _, body = texts.get(key, "").partition(":")
        if label == "prompt" and prompt is None:
            prompt = body
        elif label == "workflow" and workflow is None:
            workflow = body
    if prompt is None and workflow is None:
        return None
    return parse_comfy(load_json(prompt), load_json(workflow))
