"""A compact colour histogram per photo, compared by histogram intersection. Made from the
preview decode like the pHash; read by duplicates (blank frames) and "similar" (colour).

64 bins (4 levels each of R, G and B) normalised to sum 1. For histograms that sum to 1,
intersection = sum(min(a, b)) = 1 - L1(a, b) / 2, so PostgreSQL can rank by pgvector's L1
distance (`<+>`) without reading the histograms back into Python.
"""

import numpy as np
from PIL import Image

HISTOGRAM_BINS = 64
_LEVELS_SHIFT = 6  # 256 values >> 6 = 4 levels per channel: 4 * 4 * 4 = 64 bins


def colour_histogram(image: Image.Image) -> list[float]:
    """The normalised 64-bin RGB histogram of an already-decoded (small) image."""
    pixels = np.asarray(image.convert("RGB") if image.mode != "RGB" else image, dtype=np.uint8)
    levels = pixels.reshape(-1, 3) >> _LEVELS_SHIFT
    bins = (levels[:, 0].astype(np.int32) << 4) | (levels[:, 1].astype(np.int32) << 2) | levels[:, 2]
    counts = np.bincount(bins, minlength=HISTOGRAM_BINS).astype(np.float64)
    total = counts.sum()
    return (counts / total).round(5).tolist() if total else [0.0] * HISTOGRAM_BINS


def intersection_from_l1(l1_distance: float) -> float:
    return max(0.0, 1.0 - l1_distance / 2)


def l1_for_intersection(similarity: float) -> float:
    return 2 * (1.0 - similarity)


# pHash reads the low frequencies of an image; a blank, black or single-colour frame has none, so
# its hash is noise and would match every other blank frame (the corpus has 30 such test stubs).
FLAT_SHARE = 0.9


def is_flat(histogram) -> bool:
    """Nearly all pixels in one colour bin: too featureless for its pHash to mean anything."""
    return histogram is not None and len(histogram) > 0 and max(histogram) >= FLAT_SHARE
