"""The one record every AI-image format is read into, and the bounds that keep hostile files cheap.

Values come from files anyone can write: each is checked for its type and cut to a size, and a
value of the wrong type is dropped (the rest of the record is kept), never raised.
"""

import math
import re
from dataclasses import asdict, dataclass, field

MAX_PROMPT = 20_000  # characters: long SDXL prompts run to a few thousand
MAX_NAME = 255
MAX_LORAS = 64
MAX_EXTRA = 48  # other "Key: value" parameters kept for the detail view
MAX_EXTRA_VALUE = 300
MAX_STEPS = 100_000
_SEED = re.compile(r"^-?\d{1,20}$")


@dataclass
class Generation:
    generator: str = ""  # AUTOMATIC1111, Forge, ComfyUI, InvokeAI, NovelAI, Fooocus
    prompt: str = ""
    negative_prompt: str = ""
    steps: int | None = None
    sampler: str = ""
    scheduler: str = ""
    cfg_scale: float | None = None
    seed: str = ""  # digits: ComfyUI seeds go to 2**64 - 1, past a bigint and JavaScript's numbers
    width: int | None = None
    height: int | None = None
    model_name: str = ""
    model_hash: str = ""
    loras: list[dict] = field(default_factory=list)  # [{"name": str, "weight": float | None}]
    extra: dict = field(default_factory=dict)  # other parameters, as text

    def add_lora(self, name, weight=None) -> None:
        name = text(name, MAX_NAME)
        if not name or len(self.loras) >= MAX_LORAS or any(lora["name"] == name for lora in self.loras):
            return
        self.loras.append({"name": name, "weight": number(weight)})

    def add_extra(self, key, value) -> None:
        key, value = text(key, 64), text(value, MAX_EXTRA_VALUE)
        if key and value and len(self.extra) < MAX_EXTRA:
            self.extra.setdefault(key, value)

    def useful(self) -> bool:
        """A record worth keeping: a prompt, a model or sampling parameters, not just a tool's name."""
        return bool(self.prompt or self.model_name or self.steps or self.sampler or self.seed)

    def as_dict(self) -> dict:
        """Every field checked and cut to size, ready for the AssetGeneration row."""
        values = asdict(self)
        values["generator"] = text(self.generator, 32)
        values["prompt"] = text(self.prompt, MAX_PROMPT)
        values["negative_prompt"] = text(self.negative_prompt, MAX_PROMPT)
        values["steps"] = whole(self.steps, 1, MAX_STEPS)
        for name in ("sampler", "scheduler"):
            values[name] = text(values[name], 64)
        values["cfg_scale"] = number(self.cfg_scale, -1000, 1000)
        values["seed"] = seed(self.seed)
        values["width"] = whole(self.width, 1, 1_000_000)
        values["height"] = whole(self.height, 1, 1_000_000)
        values["model_name"] = text(self.model_name, MAX_NAME)
        values["model_hash"] = text(self.model_hash, 64)
        return values


def text(value, limit: int = MAX_NAME) -> str:
    """A string, NULs dropped (jsonb and PostgreSQL text refuse them), stripped and cut; '' otherwise."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "").strip()[:limit]


def number(value, low: float = -1e9, high: float = 1e9) -> float | None:
    """A finite float in range, from a number or a numeric string; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = value.strip()[:32]
    try:
        result = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return result if math.isfinite(result) and low <= result <= high else None


def whole(value, low: int = 0, high: int = 1_000_000) -> int | None:
    result = number(value, low, high)
    return int(result) if result is not None and result == int(result) else None


def seed(value) -> str:
    """Seeds as digits: an int, or a string of one (a float that lost digits is refused)."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        value = str(value)
    value = text(value, 24)
    return value if _SEED.match(value) else ""


def size(value) -> tuple[int | None, int | None]:
    """'512x768', '(1152, 896)' or '1152×896' -> (width, height)."""
    match = re.search(r"(\d{1,6})\s*[x×,*]\s*(\d{1,6})", text(value, 64))
    if not match:
        return None, None
    return whole(match.group(1), 1), whole(match.group(2), 1)


_MODEL_SUFFIXES = (".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".gguf", ".sft")


def model_stem(value) -> str:
    """'SDXL/juggernautXL_v9.safetensors' -> 'juggernautXL_v9': the name A1111 writes, so one model
    made with two tools is one filter value."""
    name = text(value, 1024).replace("\\", "/").rsplit("/", 1)[-1]
    for suffix in _MODEL_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)][:MAX_NAME]
    return name[:MAX_NAME]
