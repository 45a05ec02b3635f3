"""Cluster labels from the neighbour graph: which faces form a person, before any database work.

DBSCAN first: faces with at least min_neighbours others within max_distance are core faces, core
faces within max_distance of each other are one cluster, and border faces join the nearest. That
alone chains look-alikes (two siblings joined by a few ambiguous photos). With "hdbscan", a DBSCAN
cluster that holds two or more dense groups (DBSCAN at SPLIT_FRACTION of max_distance) is handed
to HDBSCAN, which splits it where the density drops; its parts within one dense group are joined
again, and a cluster with one density peak stays whole. (HDBSCAN over all faces at once would be
O(n^2) in memory and time, and its single-cluster mode drops most points as noise.)

Measured on 100,000 synthetic faces (tests/benchmarks/bench_clustering.py): DBSCAN alone at 0.5
pairwise precision 0.97, with the HDBSCAN split 0.998 (recall 0.9996 both); at 0.55 DBSCAN chains
60% of all faces into one cluster, which the dense groups split back (precision 0.999).
"""

import logging

import numpy as np
from scipy import sparse

from .params import ClusterParams

logger = logging.getLogger(__name__)

NOISE = -1
# Faces linked as a DBSCAN cluster at this fraction of max_distance ("dense groups") are never split
# apart: a person's own faces are that close, so only gaps wider than that (look-alikes chained by a
# few faces) split a cluster. Without it, HDBSCAN cuts a person with many photos into dozens of
# parts. (HDBSCAN's own cluster_selection_epsilon does this, but fails with a TypeError on NumPy 2
# in scikit-learn 1.9, so the parts it returns are re-joined here by dense group.)
SPLIT_FRACTION = 0.7
DENSE_LIMIT = 3000  # clusters up to this size go to HDBSCAN as an exact distance matrix (72 MB)
TINY_DISTANCE = 1e-6  # a sparse graph drops zeros; identical faces must stay linked


def neighbour_graph(index: np.ndarray, distance: np.ndarray) -> sparse.csr_matrix:
    """Symmetric sparse matrix of the neighbour lists (cosine distances; absent = not linked)."""
    n = len(index)
    rows, slots = np.nonzero(index >= 0)
    cols = index[rows, slots]
    values = np.maximum(distance[rows, slots], TINY_DISTANCE)
    graph = sparse.csr_matrix((values, (rows, cols)), shape=(n, n))
    return graph.maximum(graph.T).tocsr()


def cluster_labels(x: np.ndarray, graph: sparse.csr_matrix, params: ClusterParams) -> np.ndarray:
    """One label per row of `x` (unit vectors): 0..k-1, or NOISE."""
    if graph.shape[0] == 0:
        return np.empty(0, dtype=np.int64)
    labels = _dbscan(graph, params.max_distance, params)
    if params.algorithm == "hdbscan":
        labels = _split_where_density_drops(x, graph, labels, params)
    return _without_small(labels, params.min_cluster_size)


def core_neighbours(params: ClusterParams) -> int:
    """Other faces within max_distance that make a face dense: min_neighbours, but never so many
    that min_cluster_size close faces could not make a person."""
    return min(params.min_neighbours, params.min_cluster_size - 1)


def _dbscan(graph, eps, params) -> np.ndarray:
    from sklearn.cluster import DBSCAN  # the optional ML stack: imported when a re-cluster runs

    # min_samples counts the face itself
    return DBSCAN(eps=eps, min_samples=core_neighbours(params) + 1, metric="precomputed").fit_predict(graph)


def _split_where_density_drops(x, graph, labels, params) -> np.ndarray:
    # HDBSCAN can only split a cluster holding two dense groups at the split distance; finding
    # those with one more DBSCAN spares most clusters the HDBSCAN call (measured 10x faster).
    dense_groups = _dbscan(graph, SPLIT_FRACTION * params.max_distance, params)
    labels = labels.copy()
    next_label = labels.max() + 1
    sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.zeros(0, dtype=int)
    order = np.argsort(labels, kind="stable")
    starts = np.searchsorted(labels[order], np.arange(len(sizes) + 1))
    for label in np.flatnonzero(sizes >= 2 * params.min_cluster_size):
        members = order[starts[label] : starts[label + 1]]
        groups = dense_groups[members]
        group_sizes = np.bincount(groups[groups >= 0]) if (groups >= 0).any() else np.zeros(0, dtype=int)
        if np.count_nonzero(group_sizes >= params.min_cluster_size) < 2:
            continue
        if len(members) <= DENSE_LIMIT:
            parts = _rejoin_dense_groups(_hdbscan(x, members, params), groups)
        else:
            # Too big for a distance matrix (a long chain of look-alikes, with loose parameters):
            # the dense groups themselves are the parts.
            logger.info("cluster of %d faces split into its dense groups", len(members))
            parts = groups
        if len(set(parts[parts >= 0])) < 2:
            continue  # one density peak: the DBSCAN cluster stands
        labels[members] = NOISE
        for part in np.unique(parts[parts >= 0]):
            labels[members[parts == part]] = next_label
            next_label += 1
    return labels


def _hdbscan(x, members, params):
    from sklearn.cluster import HDBSCAN  # the optional ML stack: imported when a re-cluster runs

    vectors = x[members]
    distances = np.clip(1 - vectors @ vectors.T, 0, 2).astype(np.float64)
    np.fill_diagonal(distances, 0)
    return HDBSCAN(
        min_cluster_size=params.min_cluster_size,
        min_samples=min(core_neighbours(params) + 1, len(members) - 1),  # a dense matrix counts the face itself
        metric="precomputed",
        allow_single_cluster=False,
        copy=True,
    ).fit_predict(distances)


def _rejoin_dense_groups(parts, groups) -> np.ndarray:
    """HDBSCAN parts whose faces mostly lie in one dense group become one part again."""
    parts = parts.copy()
    home = {}
    for part in np.unique(parts[parts >= 0]):
        in_groups = groups[parts == part]
        in_groups = in_groups[in_groups >= 0]
        if len(in_groups):
            group = int(np.bincount(in_groups).argmax())
            parts[parts == part] = home.setdefault(group, part)
    return parts


def _without_small(labels, min_size) -> np.ndarray:
    """Clusters under min_size become noise; labels renumbered 0..k-1, biggest first."""
    out = np.full(len(labels), NOISE, dtype=np.int64)
    clustered = labels >= 0
    if not clustered.any():
        return out
    ids, inverse, counts = np.unique(labels[clustered], return_inverse=True, return_counts=True)
    rank = np.empty(len(ids), dtype=np.int64)
    big = counts >= min_size
    order = np.argsort(-counts, kind="stable")
    order = order[big[order]]
    rank[:] = NOISE
    rank[order] = np.arange(len(order))
    out[clustered] = rank[inverse]
    return out
