"""k nearest neighbours of every face among all faces, in memory, for a full re-cluster.

One query per face through pgvector costs about a millisecond (100 s at 100,000 faces), so the full
re-cluster builds the graph with BLAS instead: exact (chunked matrix products) up to
BRUTE_FORCE_LIMIT faces; beyond that, faces are spread over cells by a few passes of spherical
k-means, each face goes into its CELLS_PER_FACE nearest cells, and faces are compared only with the
faces sharing a cell. Faces close enough to be one person mostly share a cell (measured on 100,000
synthetic faces: 84-94% of the exact 10 nearest within max_distance found, the rest replaced by
others about as close), and the work grows with n, not n^2 (~5 s here instead of minutes).
"""

import numpy as np
from scipy import sparse

BRUTE_FORCE_LIMIT = 10_000  # 10,000^2 similarities: ~2 s here; the cells win beyond
CHUNK = 4096
FACES_PER_CELL = 100
CELLS_PER_FACE = 2
KMEANS_PASSES = 3
KMEANS_SAMPLE = 40_000


def unit_rows(x) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1)


def nearest(x: np.ndarray, k: int, max_distance: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """For unit rows `x`, each row's k nearest other rows within `max_distance` (cosine):
    (indices, distances), each n x k, nearest first. Empty slots hold index -1 and distance inf.

    Only neighbours within max_distance matter to clustering, and keeping just those is what makes
    this fast: a comparison against a threshold costs ~1 ns an entry, a per-row partition ~50 ns."""
    min_similarity = np.float32(1 - max_distance)
    if len(x) <= BRUTE_FORCE_LIMIT:
        return _exact(x, k, min_similarity)
    return _by_cells(x, k, min_similarity, np.random.default_rng(seed))


def _top_k(similarity: np.ndarray, k: int, min_similarity) -> tuple[np.ndarray, np.ndarray]:
    """Column positions and similarities of each row's k largest that reach min_similarity,
    largest first, padded with -1 / -inf."""
    within = similarity >= min_similarity
    found = int(np.count_nonzero(within))
    if found > 4 * k * len(similarity) and similarity.shape[1] > k:
        # Dense (a person with many photos): a partition per row beats sorting every candidate.
        part = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        values = np.take_along_axis(similarity, part, axis=1)
        order = np.argsort(-values, axis=1, kind="stable")
        columns, values = np.take_along_axis(part, order, axis=1), np.take_along_axis(values, order, axis=1)
        short = values < min_similarity
        columns[short], values[short] = -1, -np.inf
        return columns, values
    columns, values = _empty(len(similarity), k)
    rows, cols = np.nonzero(within)
    sims = similarity[rows, cols]
    order = np.argsort(rows * 4.0 - sims, kind="stable")  # by row, then most similar first
    rows, cols, sims = rows[order], cols[order], sims[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)  # position within its row
    keep = rank < k
    columns[rows[keep], rank[keep]], values[rows[keep], rank[keep]] = cols[keep], sims[keep]
    return columns, values


def _empty(n, k):
    return np.full((n, k), -1, dtype=np.int64), np.full((n, k), -np.inf, dtype=np.float32)


def _as_distances(index, similarity):
    distance = np.maximum(1 - similarity, 0)  # float error can make a duplicate face's distance negative
    distance[index < 0] = np.inf
    return index, distance


def _exact(x, k, min_similarity):
    n = len(x)
    index, similarity = _empty(n, k)
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        block = x[start:stop] @ x.T
        block[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # not one's own neighbour
        index[start:stop], similarity[start:stop] = _top_k(block, k, min_similarity)
    return _as_distances(index, similarity)


def _by_cells(x, k, min_similarity, rng):
    from threadpoolctl import threadpool_limits  # comes with scikit-learn, the optional ML stack

    n = len(x)
    centres = _spherical_kmeans(x, max(2 * CELLS_PER_FACE, n // FACES_PER_CELL), rng)
    cells = _nearest_centres(x, centres, CELLS_PER_FACE)  # n x CELLS_PER_FACE
    # Faces of each cell, with which of the face's cells it is (the slot its results go to).
    face_of = np.repeat(np.arange(n), CELLS_PER_FACE)
    slot_of = np.tile(np.arange(CELLS_PER_FACE), n)
    order = np.argsort(cells.ravel(), kind="stable")
    bounds = np.searchsorted(cells.ravel()[order], np.arange(len(centres) + 1))

    found, similarity = _empty(n, CELLS_PER_FACE * k)
    with threadpool_limits(1):  # many small products: threads only cost here (measured 20x)
        for cell in range(len(centres)):
            entries = order[bounds[cell] : bounds[cell + 1]]
            faces = face_of[entries]
            block = x[faces] @ x[faces].T
            np.fill_diagonal(block, -np.inf)
            cols, sims = _top_k(block, k, min_similarity)
            slots = slot_of[entries][:, None] * k + np.arange(k)
            found[faces[:, None], slots] = np.where(cols >= 0, faces[cols], -1)
            similarity[faces[:, None], slots] = sims
    # A pair sharing two cells was found twice: keep it once, then each face's k best.
    by_index = np.argsort(found, axis=1)
    found = np.take_along_axis(found, by_index, axis=1)
    similarity = np.take_along_axis(similarity, by_index, axis=1)
    similarity[:, 1:][found[:, 1:] == found[:, :-1]] = -np.inf
    cols, sims = _top_k(similarity, k, min_similarity)
    index = np.where(cols >= 0, np.take_along_axis(found, np.maximum(cols, 0), axis=1), -1)
    return _as_distances(index, sims)


def _nearest_centres(x, centres, count) -> np.ndarray:
    """Each row's `count` nearest centres, by repeated argmax (much cheaper than a partition)."""
    out = np.empty((len(x), count), dtype=np.int64)
    for start in range(0, len(x), CHUNK):
        block = x[start : start + CHUNK] @ centres.T
        rows = np.arange(len(block))
        for slot in range(count):
            best = np.argmax(block, axis=1)
            out[start : start + CHUNK, slot] = best
            block[rows, best] = -np.inf
    return out


def _spherical_kmeans(x, cells, rng) -> np.ndarray:
    sample = x[rng.choice(len(x), min(len(x), KMEANS_SAMPLE), replace=False)]
    cells = min(cells, len(sample))
    centres = sample[rng.choice(len(sample), cells, replace=False)].copy()
    for _ in range(KMEANS_PASSES):
        assigned = _nearest_centres(sample, centres, 1)[:, 0]
        members = sparse.csr_matrix(
            (np.ones(len(sample), dtype=np.float32), (assigned, np.arange(len(sample)))), shape=(cells, len(sample))
        )
        sums = np.asarray(members @ sample)
        filled = np.linalg.norm(sums, axis=1) > 0
        centres[filled] = unit_rows(sums[filled])  # an empty cell keeps its old centre
    return centres
