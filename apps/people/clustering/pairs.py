"""People of two faces: the rule for identities seen in only two photos.

A new person normally needs min_cluster_size faces (three), so someone photographed twice never
became a person (measured: pairwise recall 0.82 on a hidden set of identities, precision 1.000).
Two faces may still make a person when they are much closer than max_distance: within
`pair_distance` (MEDIAHUB_FACE_PAIR_MAX_DISTANCE, 0.4 against max_distance 0.5). SFace on the
corpus identity folders: the same person's pairs lie at median 0.26 (90% under 0.39), different
people's never under 0.66. With two photos per identity folder (tests/people/
test_clustering_corpus.py) pairwise recall is 0.364 without pairs, 0.818 at 0.35, 0.909 at 0.4
and 1.000 at 0.45, precision 1.000 throughout; 0.4 keeps a margin under the nearest strangers.

What keeps a pair from chaining or merging: both faces are free after the normal rules (in no
cluster, claimed by no vote, neither kept by a user), and each is the *only* face within
pair_distance of the other (faces of the same photo aside). A third face that close makes it a
group for the normal clustering to judge, and a face close to someone's person is not free, so a
pair never joins or bridges existing people. The full re-cluster (full.py) and incremental
assignment (incremental.py) apply this same test, so a pair formed as photos arrive is formed
again, under the same id, by the next re-cluster.
"""

import numpy as np


def lone_pairs(index: np.ndarray, distance: np.ndarray, pair_distance: float) -> list[tuple[int, int]]:
    """(a, b) rows, a < b, where each is the other's only neighbour within pair_distance, from the
    neighbour lists of neighbours.nearest (nearest first, -1 for an empty slot)."""
    if pair_distance <= 0 or len(index) == 0:
        return []
    close = (index >= 0) & (distance <= pair_distance)
    lonely = np.count_nonzero(close, axis=1) == 1
    partner = np.full(len(index), -1, dtype=np.int64)
    partner[lonely] = index[lonely, np.argmax(close[lonely], axis=1)]
    rows = np.flatnonzero(lonely)
    mutual = rows[(partner[rows] > rows) & (partner[partner[rows]] == rows)]
    return [(int(a), int(partner[a])) for a in mutual]
