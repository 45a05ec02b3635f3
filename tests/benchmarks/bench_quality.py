"""What the quality score costs per photo on one core: decoding a stored preview (1600 px JPEG, the
default MEDIAHUB_PREVIEW_SIZE) at reduced scale and taking every measure of apps/assets/quality/measure.py,
with and without a face box; then the whole stage's batch path (faces query, measures, one upsert and
one UPDATE) through the real database.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_quality.py -s
Prints previews per second for the measures alone (decode split out) and for the stage.
"""

import os
import time

import numpy as np
import pytest
from PIL import Image

from apps.assets.derivatives.storage import Derivative, path_for
from apps.assets.quality import measure, services
from tests.factories import AssetFactory, LibraryFactory

PREVIEWS = int(os.environ.get("BENCH_PREVIEWS", 200))


def photo_like(seed: int, size=(1600, 1200)) -> Image.Image:
    """Smooth colour fields, edges and grain: roughly what a camera preview holds."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, (9, 12, 3), dtype=np.uint8)
    image = np.asarray(Image.fromarray(coarse).resize(size, Image.Resampling.BICUBIC), dtype=np.float32)
    image[::37] = 255 - image[::37]  # hard edges
    image += rng.normal(0, 4, image.shape)
    return Image.fromarray(np.clip(image, 0, 255).astype(np.uint8))


def one_core():
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


@pytest.mark.django_db
def test_quality_throughput_per_core(tmp_path):
    one_core()
    paths = []
    for n in range(20):  # 20 distinct scenes, each stored PREVIEWS / 20 times
        path = tmp_path / f"p{n}.jpg"
        photo_like(n).save(path, quality=85)
        paths.append(path)
    files = [paths[n % len(paths)] for n in range(PREVIEWS)]
    face = [measure.FaceBox(600, 300, 300, 300, [(680, 400), (820, 400), (750, 470), (690, 540), (810, 540)], 1600, 1200)]

    started = time.perf_counter()
    greys = [measure.load_grey(path) for path in files]
    decode = time.perf_counter() - started
    started = time.perf_counter()
    for grey in greys:
        measure.measure(grey)
    plain = time.perf_counter() - started
    started = time.perf_counter()
    for grey in greys:
        measure.measure(grey, face)
    with_face = time.perf_counter() - started

    library = LibraryFactory()  # one owner: a user per asset would time password hashing
    assets = [AssetFactory(library=library) for _ in range(PREVIEWS)]
    for asset, path in zip(assets, files, strict=True):
        target = path_for(asset.pk, Derivative.PREVIEW)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    started = time.perf_counter()
    for batch in range(0, PREVIEWS, 32):  # MEDIAHUB_STAGE_BATCH_SIZE
        assert services.measure_assets(assets[batch:batch + 32]) == {}
    stage = time.perf_counter() - started

    print(f"\nquality on one core, {PREVIEWS} previews of 1600x1200 (analysed at {measure.ANALYSIS_SIZE} px):")
    print(f"  decode (draft + grey):      {PREVIEWS / decode:7.1f} previews/s  ({1000 * decode / PREVIEWS:.2f} ms each)")
    print(f"  measures, no face:          {PREVIEWS / plain:7.1f} previews/s  ({1000 * plain / PREVIEWS:.2f} ms each)")
    print(f"  measures, one face:         {PREVIEWS / with_face:7.1f} previews/s")
    print(f"  decode + measures:          {PREVIEWS / (decode + plain):7.1f} previews/s")
    print(f"  stage batch path (with DB): {PREVIEWS / stage:7.1f} previews/s  (batches of 32)")
