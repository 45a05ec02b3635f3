"""InvokeAI, NovelAI and Fooocus: each writes its own JSON (or, for old InvokeAI, a command line).

Every reader takes decoded JSON of any shape: a field of the wrong type is skipped, not raised.
"""

import re
import shlex

from .record import Generation, model_stem, seed, size, text


def _get(value, *keys):
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _named(value) -> str:
    """InvokeAI names a model either as a string or as {"model_name"/"name": ..., "hash": ...}."""
    if isinstance(value, dict):
        return model_stem(value.get("model_name") or value.get("name"))
    return model_stem(value)


# -- InvokeAI ---------------------------------------------------------------------------------------
def parse_invokeai(metadata) -> Generation | None:
    """`invokeai_metadata` (InvokeAI 3 and later)."""
    if not isinstance(metadata, dict):
        return None
    record = Generation(generator="InvokeAI")
    record.prompt = text(metadata.get("positive_prompt"), 20_000)
    record.negative_prompt = text(metadata.get("negative_prompt"), 20_000)
    record.steps, record.cfg_scale = metadata.get("steps"), metadata.get("cfg_scale")
    # InvokeAI's "scheduler" is the sampling algorithm (euler, dpmpp_2m_k): what others call the sampler.
    record.sampler = text(metadata.get("scheduler"), 64)
    record.seed = seed(metadata.get("seed"))
    record.width, record.height = metadata.get("width"), metadata.get("height")
    record.model_name = _named(metadata.get("model"))
    record.model_hash = text(_get(metadata, "model", "hash"), 64)
    loras = metadata.get("loras")
    for lora in loras[:64] if isinstance(loras, list) else []:
        if isinstance(lora, dict):
            record.add_lora(_named(lora.get("lora") or lora.get("model")), lora.get("weight"))
    return record if record.useful() else None


_NEGATIVE = re.compile(r"\[([^\[\]]*)\]")


def _split_brackets(prompt: str) -> tuple[str, str]:
    """InvokeAI 2 writes the negative prompt inside the prompt, in square brackets."""
    negative = ", ".join(part.strip() for part in _NEGATIVE.findall(prompt) if part.strip())
    return re.sub(r"\s+", " ", _NEGATIVE.sub(" ", prompt)).strip(" ,"), negative


def parse_sd_metadata(metadata) -> Generation | None:
    """`sd-metadata` (InvokeAI 2): the model at the top, the parameters under "image"."""
    image = _get(metadata, "image")
    if not isinstance(image, dict):
        return None
    record = Generation(generator="InvokeAI")
    prompt = image.get("prompt")
    if isinstance(prompt, list):  # [{"prompt": "...", "weight": 1.0}, ...]
        prompt = " ".join(text(_get(part, "prompt"), 20_000) for part in prompt[:64])
    record.prompt, record.negative_prompt = _split_brackets(text(prompt, 20_000))
    record.steps, record.cfg_scale = image.get("steps"), image.get("cfg_scale")
    record.sampler, record.seed = text(image.get("sampler"), 64), seed(image.get("seed"))
    record.width, record.height = image.get("width"), image.get("height")
    record.model_name = model_stem(metadata.get("model_weights"))
    record.model_hash = text(metadata.get("model_hash"), 64)
    return record if record.useful() else None


_DREAM_OPTIONS = {"-s": "steps", "--steps": "steps", "-S": "seed", "--seed": "seed", "-W": "width",
                  "--width": "width", "-H": "height", "--height": "height", "-C": "cfg_scale",
                  "--cfg_scale": "cfg_scale", "-A": "sampler", "--sampler": "sampler"}


def parse_dream(value: str) -> Generation | None:
    """`Dream` (InvokeAI 1 / lstein's dream.py): '"a cat [ugly]" -s 50 -S 42 -W 512 -H 512 -C 7.5 -A k_lms'."""
    try:
        words = shlex.split(value[:50_000])
    except ValueError:  # an unbalanced quote
        return None
    if not words:
        return None
    record = Generation(generator="InvokeAI")
    record.prompt, record.negative_prompt = _split_brackets(text(words[0], 20_000))
    for option, argument in zip(words[1:], words[2:], strict=False):
        if option in _DREAM_OPTIONS:
            setattr(record, _DREAM_OPTIONS[option], argument)
    record.seed, record.sampler = seed(record.seed), text(record.sampler, 64)
    return record if record.useful() else None


# -- NovelAI ----------------------------------------------------------------------------------------
_SOURCE = re.compile(r"^(.*?)\s+([0-9A-Fa-f]{8})$")


def parse_novelai(texts: dict, comment) -> Generation | None:
    """`Description` is the prompt, `Comment` JSON the parameters (uc: the negative prompt),
    `Source` the model and its short hash ('NovelAI Diffusion V3 4BDE2A90')."""
    record = Generation(generator="NovelAI")
    comment = comment if isinstance(comment, dict) else {}
    record.prompt = text(texts.get("Description") or comment.get("prompt"), 20_000)
    record.negative_prompt = text(comment.get("uc"), 20_000)
    record.steps, record.cfg_scale = comment.get("steps"), comment.get("scale")
    record.sampler = text(comment.get("sampler"), 64)
    record.scheduler = text(comment.get("noise_schedule"), 64)
    record.seed = seed(comment.get("seed"))
    record.width, record.height = comment.get("width"), comment.get("height")
    source = text(texts.get("Source"))
    match = _SOURCE.match(source)
    record.model_name, record.model_hash = (match.group(1), match.group(2)) if match else (source, "")
    return record if record.useful() else None


# -- Fooocus ----------------------------------------------------------------------------------------
def is_fooocus(metadata) -> bool:
    return isinstance(metadata, dict) and (
        metadata.get("metadata_scheme") == "fooocus" or "fooocus" in text(metadata.get("version")).lower()
        or ("base_model" in metadata and "guidance_scale" in metadata)
    )


def parse_fooocus(metadata) -> Generation | None:
    """Fooocus's own scheme (`parameters` JSON beside a `fooocus_scheme` chunk, the `Fooocus` chunk of
    older versions, or a JPEG's UserComment)."""
    if not isinstance(metadata, dict):
        return None
    record = Generation(generator="Fooocus")
    record.prompt = text(metadata.get("prompt"), 20_000)
    record.negative_prompt = text(metadata.get("negative_prompt"), 20_000)
    record.steps, record.cfg_scale = metadata.get("steps"), metadata.get("guidance_scale")
    record.sampler, record.scheduler = text(metadata.get("sampler"), 64), text(metadata.get("scheduler"), 64)
    record.seed = seed(metadata.get("seed"))
    record.width, record.height = size(metadata.get("resolution"))
    record.model_name = model_stem(metadata.get("base_model"))
    record.model_hash = text(metadata.get("base_model_hash"), 64)
    loras = metadata.get("loras")
    for lora in loras[:64] if isinstance(loras, list) else []:  # [[name, weight, hash], ...]
        if isinstance(lora, list) and lora:
            record.add_lora(model_stem(lora[0]), lora[1] if len(lora) > 1 else None)
    for key, value in list(metadata.items())[:256]:  # older: "lora_combined_1": "name : 0.5"
        if isinstance(key, str) and key.startswith("lora_combined_") and isinstance(value, str):
            name, _, weight = value.rpartition(" : ")
            record.add_lora(model_stem(name or value), weight if name else None)
    for key in ("styles", "performance", "sharpness", "refiner_model", "version"):
        record.add_extra(key.replace("_", " ").capitalize(), metadata.get(key))
    return record if record.useful() else None

