"""CLIP embeddings as a second witness for near duplicates, where the owner's photos have them.

pHash alone misjudges two cases: different photos whose coarse structure matches (a pHash-near pair
CLIP sees as different pictures: vetoed) and one photo cropped, rotated a little or retouched (pHash
moves past the threshold while CLIP still sees the same picture: accepted up to twice the pHash
threshold). Photos without an embedding are judged by pHash alone, as before.
"""

from itertools import pairwise

import numpy as np

from apps.search.clip.model import image_model_name
from apps.search.models import AssetEmbedding

from .grouping import UnionFind, near_pairs

CLIP_VETO_BELOW = 0.80  # pHash-near but CLIP cosine under this: different pictures (ViT-B/32 image-image)
CLIP_CONFIRMS = 0.95  # resized, re-encoded and lightly edited copies stay above this
STRETCH = 2  # with CLIP agreeing, pHash may be this many times the threshold apart
FETCH = 5000  # ids per query while reading vectors


def has_embeddings(asset_ids_query) -> bool:
    return AssetEmbedding.objects.filter(model=image_model_name(), asset__in=asset_ids_query).exists()


def _vectors(asset_ids) -> dict:
    ids, found = list(asset_ids), {}
    for start in range(0, len(ids), FETCH):
        rows = AssetEmbedding.objects.filter(model=image_model_name(), asset_id__in=ids[start:start + FETCH])
        found.update((pk, np.asarray(vector, dtype=np.float32)) for pk, vector in rows.values_list("asset_id", "vector"))
    return found


def components(by_hash: dict[int, list[dict]], threshold: int) -> list[list[dict]]:
    """Rows (dicts with "id") linked into near-duplicate sets by pHash, with CLIP as veto and stretch."""
    pairs = list(near_pairs(by_hash, threshold * STRETCH))
    involved = {row["id"] for a, b, _ in pairs for row in (*by_hash[a], *by_hash[b])}
    involved |= {row["id"] for rows in by_hash.values() if len(rows) > 1 for row in rows}
    vectors = _vectors(involved)

    def alike(a: dict, b: dict, bits: int) -> bool:
        va, vb = vectors.get(a["id"]), vectors.get(b["id"])
        if va is None or vb is None:
            return bits <= threshold
        cosine = float(va @ vb)
        return cosine >= CLIP_CONFIRMS or (bits <= threshold and cosine >= CLIP_VETO_BELOW)

    links, rows_by_id = UnionFind(), {}
    for rows in by_hash.values():
        for row in rows:
            rows_by_id[row["id"]] = row
            links.find(row["id"])
        for a, b in pairwise(rows):  # same pHash: a chain is enough to join them
            if alike(a, b, 0):
                links.union(a["id"], b["id"])
    for first, second, bits in pairs:
        for a in by_hash[first]:
            for b in by_hash[second]:
                if alike(a, b, bits):
                    links.union(a["id"], b["id"])
    return [[rows_by_id[pk] for pk in component] for component in links.components()]
