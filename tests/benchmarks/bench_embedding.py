"""CLIP embedding throughput, end to end: stored previews read, decoded, batched, embedded, written to pgvector.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_embedding.py -s
BENCH_IMAGES (default 96) previews of 1600x1200 (the preview stage's size, JPEG q85, photo-like
noise). The model is a random-weight CLIP with CLIPConfig's default shapes, i.e. ViT-B/32 (224 px,
32 px patches, 12 layers of 768) with a 512-d projection: the speed of clip-ViT-B-32 without a
download. The pipeline runs the way a worker does (run_stages on tasks of MEDIAHUB_STAGE_BATCH_SIZE
assets, the clip stage's run_batch), then each part is timed alone to show what bounds it.
"""

import os
import time

import numpy as np
import pytest
import torch
from PIL import Image

from apps.assets.derivatives.storage import Derivative, atomic_path, path_for
from apps.scanning.pipeline import run_stages
from apps.search.clip import embeddings, model
from apps.search.models import AssetEmbedding
from tests.factories import AssetFactory
from tests.search.conftest import build_clip

IMAGES = int(os.environ.get("BENCH_IMAGES", "96"))
PREVIEW = (1600, 1200)

pytestmark = pytest.mark.django_db


def preview_like(seed: int) -> Image.Image:
    """Smooth colour fields plus sensor-like noise: compresses like a camera preview, not like flat colour."""
    rng = np.random.default_rng(seed)
    small = Image.fromarray(rng.integers(0, 256, (30, 40, 3), dtype=np.uint8))
    base = small.resize(PREVIEW, Image.Resampling.BICUBIC)
    return Image.blend(base, Image.effect_noise(PREVIEW, 24).convert("RGB"), 0.12)


@pytest.fixture(scope="module")
def vit_b_32(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vit-b-32")
    start = time.perf_counter()
    build_clip(folder, tiny=False)
    print(f"\nrandom ViT-B/32 CLIP built in {time.perf_counter() - start:.1f} s")
    return str(folder)


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:7.1f} images/s ({seconds:6.2f} s)"


def test_embedding_throughput(settings, vit_b_32):
    settings.MEDIAHUB_CLIP_MODEL = vit_b_32
    settings.MEDIAHUB_CLIP_DEVICE = os.environ.get("BENCH_DEVICE", "auto")
    settings.MEDIAHUB_PIPELINE_STAGES = ["apps.search.clip.stage.EmbeddingStage"]
    batch = settings.MEDIAHUB_STAGE_BATCH_SIZE
    assets = [AssetFactory() for _ in range(IMAGES)]
    sizes = []
    for n, asset in enumerate(assets):
        with atomic_path(path_for(asset.pk, Derivative.PREVIEW)) as temp:
            preview_like(n).save(temp, "JPEG", quality=85)
        sizes.append(path_for(asset.pk, Derivative.PREVIEW).stat().st_size)
    start = time.perf_counter()
    model.get_model(model.image_model_name(), download=True)
    load = time.perf_counter() - start
    device = model.device()
    print(f"\n{IMAGES} previews {PREVIEW[0]}x{PREVIEW[1]}, {np.mean(sizes) / 1e3:.0f} kB each; model loaded in "
          f"{load:.1f} s on {device}; torch threads {torch.get_num_threads()}, {os.cpu_count()} CPUs; "
          f"tasks of {batch}, CLIP batches of {settings.MEDIAHUB_CLIP_BATCH_SIZE}")
    # Warm-up with a full batch: the first forward of a batch shape allocates its buffers.
    model.embed_images([preview_like(n).resize((224, 224)) for n in range(settings.MEDIAHUB_CLIP_BATCH_SIZE)])

    ids = [a.pk for a in assets]
    start = time.perf_counter()
    for first in range(0, IMAGES, batch):
        report = run_stages(ids[first:first + batch])
        assert report.failed == 0, report.errors
    end_to_end = time.perf_counter() - start
    assert AssetEmbedding.objects.filter(model=vit_b_32).count() == IMAGES

    start = time.perf_counter()
    decoded = [embeddings.load_preview(pk) for pk in ids]
    decode_one_thread = time.perf_counter() - start
    from concurrent.futures import ThreadPoolExecutor

    start = time.perf_counter()
    with ThreadPoolExecutor(embeddings.DECODE_THREADS) as pool:
        list(pool.map(embeddings.load_preview, ids))
    decode_threads = time.perf_counter() - start
    start = time.perf_counter()
    for pk in ids:
        with Image.open(path_for(pk, Derivative.PREVIEW)) as image:
            image.convert("RGB")
    decode_full = time.perf_counter() - start
    start = time.perf_counter()
    vectors = model.embed_images(decoded)
    embed = time.perf_counter() - start
    start = time.perf_counter()
    for first in range(0, IMAGES, batch):
        embeddings.store(ids[first:first + batch], vectors[first:first + batch], vit_b_32)
    write = time.perf_counter() - start

    print(f"end to end (run_stages, clip stage)   {_rate(IMAGES, end_to_end)}")
    print(f"  decode, draft to >=224 px, 1 thread {_rate(IMAGES, decode_one_thread)}")
    print(f"  decode, draft, {embeddings.DECODE_THREADS} threads          {_rate(IMAGES, decode_threads)}")
    print(f"  decode at full 1600 px (no draft)   {_rate(IMAGES, decode_full)}")
    print(f"  CLIP image tower (preprocess+model) {_rate(IMAGES, embed)}")
    print(f"  pgvector upsert                     {_rate(IMAGES, write)}")
    parts = {"decoding": decode_threads, "the image tower": embed, "the database": write}
    bound = max(parts, key=parts.get)
    # Shares of the parts' sum: on a shared machine each timing sees its own load, so they need not add
    # up to the end-to-end time.
    print(f"bound by {bound}: {parts[bound] / sum(parts.values()):.0%} of the time the parts take alone")
