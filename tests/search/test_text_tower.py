"""Queries by meaning through the CLIP text tower alone (apps/search/clip/text_tower.py)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from apps.search.clip import text_tower

QUERIES = ["a red car on a beach", "Zürich 🏔️ bei Nacht", "x", "IMG_4120", "word " * 14]


def sentence_transformers_layout(clip_folder: str, root: Path) -> Path:
    """The layout of the hub's sentence-transformers/clip-ViT-B-32: modules.json + 0_CLIPModel/."""
    shutil.copytree(clip_folder, root / "0_CLIPModel")
    (root / "modules.json").write_text(json.dumps([{"idx": 0, "name": "0", "path": "0_CLIPModel",
                                                    "type": "sentence_transformers.models.CLIPModel"}]))
    return root


def full_model_vectors(folder, texts) -> np.ndarray:
    from sentence_transformers import SentenceTransformer

    full = SentenceTransformer(str(folder), device="cpu")
    return full.encode(texts, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)


@pytest.mark.parametrize("layout", ["transformers", "sentence-transformers"])
def test_query_vectors_of_the_text_tower_equal_the_full_models(clip, settings, tmp_path, layout):
    folder = settings.MEDIAHUB_CLIP_MODEL
    if layout == "sentence-transformers":
        folder = settings.MEDIAHUB_CLIP_MODEL = str(sentence_transformers_layout(folder, tmp_path / "st"))
    tower = clip.get_model(clip.text_model_name(), text=True)
    assert isinstance(tower, text_tower.TextTower)
    queries = np.vstack([clip.embed_text(q) for q in QUERIES])
    np.testing.assert_allclose(queries, full_model_vectors(folder, QUERIES), atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-5)


def test_a_query_longer_than_the_context_is_cut_to_it_not_refused(clip):
    long = clip.embed_text("word " * 200)
    assert long.shape == (512,)
    np.testing.assert_allclose(long, clip.embed_text("word " * 100), atol=1e-6)  # both cut at 77 tokens


def test_a_model_that_is_not_a_lone_clip_loads_the_usual_way(tmp_path, tiny_clip_folder):
    twin = sentence_transformers_layout(tiny_clip_folder, tmp_path / "twin")
    (twin / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]))
    assert text_tower.clip_folder(twin) is None
    assert text_tower.clip_folder(Path(tiny_clip_folder)) == Path(tiny_clip_folder)
    without_safetensors = tmp_path / "bin"
    shutil.copytree(tiny_clip_folder, without_safetensors)
    (without_safetensors / "model.safetensors").unlink()
    assert text_tower.clip_folder(without_safetensors) is None


def test_a_query_by_meaning_in_a_fresh_process_never_imports_torch(tiny_clip_folder, tmp_path):
    """What a web worker does on its first query: the text tower only, so torch stays out of memory."""
    script = (
        "import os, sys, django; django.setup()\n"
        "from apps.search.clip import model\n"
        "vector = model.embed_text('a dog on a beach')\n"
        "print(vector.shape[0], 'torch' in sys.modules, 'transformers' in sys.modules)\n"
    )
    env = {"DJANGO_SETTINGS_MODULE": "mediahub.settings", "MEDIAHUB_DATA_DIR": str(tmp_path),
           "MEDIAHUB_CLIP_MODEL": tiny_clip_folder, "MEDIAHUB_CLIP_DEVICE": "auto",
           "PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 50}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["512", "False", "False"]
