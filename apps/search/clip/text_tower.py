"""The text tower of a CLIP checkpoint alone, in numpy: what a query by meaning needs in a web process.

Why not the sentence-transformers model the workers use: a web process only turns a few words into
a vector, yet loading the whole CLIP there imports torch (~180 MB resident) and transformers
(~130 MB) and keeps the text layers (~150 MB) next to them: ~580 MB per gunicorn worker, measured
(tests/benchmarks/bench_clip_memory.py). Here the same checkpoint's text weights are memory-mapped
from its safetensors file (only the pages a query touches become resident, shared between workers
through the page cache; the vision tower is never read), the tokenizer is the checkpoint's own
tokenizer.json through the Rust `tokenizers` library, and the forward pass is the CLIP text
transformer in a dozen numpy lines. The vectors equal the full model's (same weights, same fp32
arithmetic up to rounding; tests/search/test_text_tower.py compares them).

Only checkpoints this can read exactly are taken: a transformers CLIP folder (or the CLIPModel module
of a sentence-transformers folder) with safetensors weights, a tokenizer.json and an activation
below; `clip_folder` answers None otherwise and the caller loads the model the usual way.
"""

import json
import struct
from pathlib import Path

import numpy as np

ACTIVATIONS = {
    "quick_gelu": lambda x: x / (1.0 + np.exp(-1.702 * x)),
    "gelu_new": lambda x: 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3))),
    "gelu_pytorch_tanh": lambda x: 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3))),
}
_DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": np.uint16}
_CLIP_MODULES = ("sentence_transformers.models.CLIPModel",
                 "sentence_transformers.sentence_transformer.modules.CLIPModel")


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def clip_folder(folder: Path) -> Path | None:
    """The folder holding a CLIP checkpoint this module can run, or None."""
    modules = folder / "modules.json"
    if modules.is_file():  # a sentence-transformers folder: only a lone CLIPModel module is CLIP itself
        entries = _json(modules)
        if len(entries) != 1 or entries[0].get("type") not in _CLIP_MODULES:
            return None
        folder = folder / entries[0].get("path", "")
    config = folder / "config.json"
    if not config.is_file() or not (folder / "tokenizer.json").is_file() or not _weight_files(folder):
        return None
    text = _json(config)
    if text.get("model_type") != "clip":
        return None
    return folder if text.get("text_config", {}).get("hidden_act", "quick_gelu") in ACTIVATIONS else None


def _weight_files(folder: Path) -> list[Path]:
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        return sorted({folder / name for name in _json(index)["weight_map"].values()})
    single = folder / "model.safetensors"
    return [single] if single.is_file() else []


def _mapped(path: Path, wanted) -> dict:
    """The tensors of one safetensors file whose names pass `wanted`, as read-only memory maps
    (float32 stays mapped; half precision is widened, so it becomes resident)."""
    with path.open("rb") as file:
        (length,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(length))
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or not wanted(name):
            continue
        start, end = info["data_offsets"]
        array = np.memmap(path, dtype=_DTYPES[info["dtype"]], mode="r", offset=8 + length + start,
                          shape=tuple(info["shape"]) or (1,))
        if info["dtype"] == "BF16":
            array = (array.astype(np.uint32) << 16).view(np.float32)
        tensors[name] = array if array.dtype == np.float32 else array.astype(np.float32)
    return tensors


def _layer_norm(x, weight, bias, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _linear(x, weights, name, bias=True):
    out = x @ weights[f"{name}.weight"].T
    return out + weights[f"{name}.bias"] if bias else out


class TextTower:
    """`encode(texts)` -> unit float32 vectors, as SentenceTransformer.encode(..., normalize_embeddings=True)."""

    device = "cpu"

    def __init__(self, folder: Path):
        from threadpoolctl import ThreadpoolController
        from tokenizers import Tokenizer

        self.blas = ThreadpoolController()
        config = _json(folder / "config.json")
        self.config = {"hidden_act": "quick_gelu", "layer_norm_eps": 1e-5, **config.get("text_config", {})}
        self.weights = {}
        for path in _weight_files(folder):
            self.weights.update(_mapped(path, lambda n: n.startswith("text_model.") or n == "text_projection.weight"))
        positions = self.weights["text_model.embeddings.position_embedding.weight"].shape[0]
        tokenizer_config = folder / "tokenizer_config.json"
        limit = _json(tokenizer_config).get("model_max_length", positions) if tokenizer_config.is_file() else positions
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=int(min(positions, limit)))
        self.eos = self.config.get("eos_token_id", 2)

    def encode(self, texts, **_ignored) -> np.ndarray:
        # One BLAS thread: requests on other threads and workers already share the cores, and BLAS
        # threads that spin on a busy host made a query 5-10x slower (0.35 s vs 2-8 s at load 16 on 2 cores).
        with self.blas.limit(limits=1, user_api="blas"):
            vectors = np.stack([self._embed(np.array(self.tokenizer.encode(text).ids)) for text in texts])
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def _embed(self, ids: np.ndarray) -> np.ndarray:
        w, eps = self.weights, self.config["layer_norm_eps"]
        x = (w["text_model.embeddings.token_embedding.weight"][ids]
             + w["text_model.embeddings.position_embedding.weight"][: len(ids)]).astype(np.float32)
        for n in range(self.config.get("num_hidden_layers", 12)):
            layer = f"text_model.encoder.layers.{n}"
            x = x + self._attention(_layer_norm(x, w[f"{layer}.layer_norm1.weight"], w[f"{layer}.layer_norm1.bias"], eps),
                                    f"{layer}.self_attn")
            hidden = _layer_norm(x, w[f"{layer}.layer_norm2.weight"], w[f"{layer}.layer_norm2.bias"], eps)
            hidden = ACTIVATIONS[self.config["hidden_act"]](_linear(hidden, w, f"{layer}.mlp.fc1"))
            x = x + _linear(hidden, w, f"{layer}.mlp.fc2")
        x = _layer_norm(x, w["text_model.final_layer_norm.weight"], w["text_model.final_layer_norm.bias"], eps)
        # The sentence is read at its end token (CLIP's pooling): the first eos, or the highest id for
        # the original checkpoints whose config says eos_token_id 2, as transformers does.
        ends = np.flatnonzero(ids == self.eos)
        end = int(ids.argmax()) if self.eos == 2 or not len(ends) else int(ends[0])
        return x[end] @ w["text_projection.weight"].T

    def _attention(self, x, name):
        w, heads = self.weights, self.config.get("num_attention_heads", 8)
        length, width = x.shape
        size = width // heads

        def split(part):
            return _linear(x, w, f"{name}.{part}_proj").reshape(length, heads, size).transpose(1, 0, 2)

        q, k, v = split("q"), split("k"), split("v")
        scores = (q @ k.transpose(0, 2, 1)) * size ** -0.5
        scores = scores + np.triu(np.full((length, length), -np.inf, dtype=np.float32), 1)  # causal
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        attended = (scores / scores.sum(-1, keepdims=True)) @ v
        return _linear(attended.transpose(1, 0, 2).reshape(length, width), w, f"{name}.out_proj")
