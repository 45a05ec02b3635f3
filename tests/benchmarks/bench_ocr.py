"""OCR throughput per core on stored previews: the "ocr" stage as a worker runs it (run_stages on
tasks of MEDIAHUB_STAGE_BATCH_SIZE assets: preview decoded at MEDIAHUB_OCR_SIZE, RapidOCR PP-OCRv4
detection + recognition, rows and search documents written).

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_ocr.py -s
BENCH_IMAGES (default 16) previews of 1600x1200 (the preview stage's size, JPEG q85, photo-like
noise) with three painted lines of words each. onnxruntime runs on one thread (MEDIAHUB_OCR_THREADS=1),
so the figure is images/s per core (also given per CPU-second of the process, which a busy machine
does not distort); BENCH_THREADS=0 gives every core. Then the read alone at
1024 px and at the full 1600 px preview, to show what MEDIAHUB_OCR_SIZE buys.
"""

import os
import time

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from apps.assets.derivatives.storage import Derivative, atomic_path, path_for
from apps.scanning.pipeline import run_stages
from apps.search.models import AssetText
from apps.search.ocr import engine, reading
from tests.factories import AssetFactory
from tests.search.ocr_samples import FONT

IMAGES = int(os.environ.get("BENCH_IMAGES", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
PREVIEW = (1600, 1200)
WORDS = ["BAKERY", "STATION", "PHARMACY", "MUSEUM", "HARBOUR", "LIBRARY", "THEATRE", "MARKET", "GARDEN"]

pytestmark = pytest.mark.django_db


def preview_with_text(seed: int) -> tuple[Image.Image, list[str]]:
    """Smooth colour fields, sensor-like noise, and three signs of dark words on pale boards."""
    rng = np.random.default_rng(seed)
    small = Image.fromarray(rng.integers(0, 256, (30, 40, 3), dtype=np.uint8))
    image = Image.blend(small.resize(PREVIEW, Image.Resampling.BICUBIC),
                        Image.effect_noise(PREVIEW, 24).convert("RGB"), 0.12)
    draw = ImageDraw.Draw(image)
    words = [WORDS[(seed + n) % len(WORDS)] for n in range(3)]
    for n, word in enumerate(words):
        size = 48 + 24 * n
        font = ImageFont.truetype(FONT, size)
        x, y = 80 + 120 * n, 120 + 330 * n
        left, top, right, bottom = draw.textbbox((x, y), f"{word} {seed}", font=font)
        draw.rectangle((left - 20, top - 16, right + 20, bottom + 16), fill=(235, 232, 220))
        draw.text((x, y), f"{word} {seed}", fill=(25, 25, 40), font=font)
    return image, words


def _rate(count: int, seconds: float, cpu: float) -> str:
    """Wall-clock rate, and the rate per CPU-second of this process: on a shared machine the second
    is what one core does, whatever else runs."""
    return f"{count / seconds:6.2f} images/s ({seconds:6.2f} s wall); {count / cpu:6.2f} images per CPU-second"


def test_ocr_throughput(settings):
    settings.MEDIAHUB_OCR_THREADS = THREADS
    settings.MEDIAHUB_PIPELINE_STAGES = ["apps.search.ocr.stage.TextStage"]
    batch = settings.MEDIAHUB_STAGE_BATCH_SIZE
    assets, painted = [AssetFactory() for _ in range(IMAGES)], {}
    for n, asset in enumerate(assets):
        image, painted[asset.pk] = preview_with_text(n)
        with atomic_path(path_for(asset.pk, Derivative.PREVIEW)) as temp:
            image.save(temp, "JPEG", quality=85)
    start = time.perf_counter()
    engine.engine()
    load = time.perf_counter() - start
    print(f"\n{IMAGES} previews {PREVIEW[0]}x{PREVIEW[1]} read at {settings.MEDIAHUB_OCR_SIZE} px; engine loaded in "
          f"{load:.1f} s on {engine.loaded_device()}; onnxruntime threads {THREADS or 'all'}, {os.cpu_count()} CPUs; "
          f"tasks of {batch}")
    engine.read(reading.load_preview(assets[0].pk))  # warm-up: the first run allocates its buffers

    ids = [a.pk for a in assets]
    start, cpu = time.perf_counter(), time.process_time()
    for first in range(0, IMAGES, batch):
        report = run_stages(ids[first:first + batch])
        assert report.failed == 0, report.errors
    end_to_end, cpu = time.perf_counter() - start, time.process_time() - cpu
    texts = dict(AssetText.objects.values_list("asset_id", "text"))
    found = sum(word in texts[pk].replace(" ", "") for pk, words in painted.items() for word in words)
    per_core = " per core" if THREADS == 1 else ""
    print(f"end to end (stage, rows, search documents): {_rate(IMAGES, end_to_end, cpu)}{per_core}; "
          f"painted words read: {found}/{3 * IMAGES}")

    for size in (1024, 1600):
        settings.MEDIAHUB_OCR_SIZE = size  # detection at that size too (a new engine)
        decoded = [reading.load_preview(pk) for pk in ids]
        engine.read(decoded[0])  # load and warm up
        start, cpu = time.perf_counter(), time.process_time()
        lines = [engine.read(image) for image in decoded]
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        read = sum(word in " ".join(line.text for line in found_lines).replace(" ", "")
                   for found_lines, pk in zip(lines, ids) for word in painted[pk])
        print(f"read alone at {size} px: {_rate(IMAGES, seconds, cpu)}, painted words read {read}/{3 * IMAGES}")
    engine.forget()
