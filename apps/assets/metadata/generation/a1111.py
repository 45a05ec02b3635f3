"""AUTOMATIC1111 / Forge 'parameters' text (PNG chunk, JPEG/WebP UserComment), also written by
SD.Next, Fooocus's a1111 scheme and ComfyUI saver nodes:

    astronaut riding a horse <lora:add_detail:0.8>
    Negative prompt: blurry, lowres
    Steps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234, Size: 512x768, Model hash: 6ce0161689, ...

The last line holds the parameters when it has at least three 'Key: value' pairs (A1111's own rule
in its `parse_generation_parameters`); values may be JSON-quoted strings holding commas.
"""

import json
import re

from .record import MAX_PROMPT, Generation, seed, size

# Keys are short: a bounded key keeps the scan linear on a hostile line of one long word.
_PARAM = re.compile(r'\s*(\w[\w \-/]{0,63}):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)')
MAX_PARAMS_LINE = 64 * 1024
_LORA_TAG = re.compile(r"<(?:lora|lyco):([^:>]{1,255})(?::([^>]{0,64}))?>", re.I)
_STEPS_LINE = re.compile(r"(?:^|\n)\s*Steps: *\d")
_FIELDS = {
    "Steps": "steps", "Sampler": "sampler", "Schedule type": "scheduler", "CFG scale": "cfg_scale",
    "Seed": "seed", "Model hash": "model_hash", "Model": "model_name",
}
_KEPT_ELSEWHERE = {"Size", "Lora hashes", "Version", "Negative prompt"}


def looks_like_parameters(value: str) -> bool:
    """Whether a free text (an XMP description, a UserComment) is an A1111 infotext, not a caption."""
    return bool(_STEPS_LINE.search(value[-4000:]))


def parse_parameters(value: str) -> Generation | None:
    lines = value.replace("\r\n", "\n").strip().split("\n")
    last = lines[-1] if lines else ""
    params = _PARAM.findall(last) if len(last) <= MAX_PARAMS_LINE else []
    if len(params) < 3:
        params = []
    else:
        lines = lines[:-1]
    record = Generation()
    prompt, negative, in_negative = [], [], False
    for line in lines:
        if line.startswith("Negative prompt:"):
            in_negative, line = True, line[len("Negative prompt:"):].strip()
        (negative if in_negative else prompt).append(line)
    record.prompt = "\n".join(prompt).strip()[:MAX_PROMPT]
    record.negative_prompt = "\n".join(negative).strip()[:MAX_PROMPT]
    for name, weight in _LORA_TAG.findall(record.prompt):  # before "Lora hashes", which has no weights
        record.add_lora(name, weight.split(":")[0] if weight else None)
    _apply_params(record, params)
    return record if record.useful() else None


def _apply_params(record: Generation, params: list[tuple[str, str]]) -> None:
    version = ""
    for key, raw in params:
        key, value = key.strip(), _unquote(raw.strip())
        if key in _FIELDS:
            attribute = _FIELDS[key]
            current = getattr(record, attribute)
            setattr(record, attribute, value if current in (None, "") else current)
        elif key == "Size":
            record.width, record.height = size(value)
        elif key == "Lora hashes":
            for part in value.split(","):
                name = part.rpartition(":")[0].strip()
                record.add_lora(name)
        elif key == "Version":
            version = value
        elif key not in _KEPT_ELSEWHERE:
            record.add_extra(key, value)
    record.seed = seed(record.seed)
    record.generator = _generator(version)
    if version:
        record.add_extra("Version", version)


def _unquote(value: str) -> str:
    if len(value) > 1 and value[0] == value[-1] == '"':
        try:
            decoded = json.loads(value)
        except ValueError:
            return value[1:-1]
        return decoded if isinstance(decoded, str) else value
    return value


def _generator(version: str) -> str:
    """Forge's versions start with 'f' ('f2.0.1v1.10.1-previous-...'); Fooocus writes its own name."""
    if version.startswith("f") and "v" in version[:12]:
        return "Forge"
    if version.lower().startswith("fooocus"):
        return "Fooocus"
    if version.lower().startswith("comfyui"):
        return "ComfyUI"
    return "AUTOMATIC1111"
