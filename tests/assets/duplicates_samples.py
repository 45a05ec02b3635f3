"""Real photos for the duplicate and similar tests: distinct smooth scenes, resized/re-encoded copies,
indexed through the real preview stage so pHash and colour histogram come from the real decode."""

from pathlib import Path

import numpy as np
from blake3 import blake3
from django.test import override_settings
from PIL import Image

from apps.assets.models import Asset
from apps.scanning.pipeline import run_stages
from tests.assets.media_samples import asset_for

PREVIEW_ONLY = ["apps.assets.derivatives.stage.PreviewStage"]


def scene(seed: int, size=(800, 600)) -> Image.Image:
    """A photo-like image: smooth random shapes of colour plus fine grain, different per seed."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    image = Image.fromarray(coarse).resize(size, Image.Resampling.BICUBIC)
    grain = rng.normal(0, 6, (size[1], size[0], 3))
    return Image.fromarray(np.clip(np.asarray(image, dtype=np.float64) + grain, 0, 255).astype(np.uint8))


def save(image: Image.Image, path: Path, **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **({"quality": 90} | options))
    return path


def indexed(library, relative: str) -> Asset:
    """An asset for a file under the library, with its real content hash, through the real preview stage."""
    path = Path(library.root_path) / relative
    with Image.open(path) as image:
        width, height = image.size
    asset = asset_for(library, relative, content_hash=blake3(path.read_bytes()).hexdigest(), width=width, height=height)
    with override_settings(MEDIAHUB_PIPELINE_STAGES=PREVIEW_ONLY):
        report = run_stages([asset.pk])
    assert report.failed == 0, report.errors
    return Asset.objects.get(pk=asset.pk)
