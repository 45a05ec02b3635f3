"""Look-alike groups of unassigned faces, so a user names a small group in one action (the
Unassigned page, GET /api/faces/groups).

Clustering leaves faces unassigned when too few are close (a person seen once or twice, or faces
further apart than a pair may be): the user is the judge there. A group is built greedily: the face
with the most unassigned look-alikes within max_distance (the normal clustering threshold) seeds
it, and a face joins only while it is within max_distance of *every* face already in the group
(complete linkage: no chain of look-alikes drifts from one person to another), nearest first, at
most one face per photo and MAX_GROUP_SIZE faces. Only faces the user may change are grouped (their
own photos; every face for a superadmin), and only the MAX_FACES newest, so the page costs one
matrix product of at most 2,000 x 2,000 per embedding family.
"""

from collections import defaultdict

import numpy as np

from apps.core.querysets import Action

from ..clustering import ClusterParams
from ..clustering.neighbours import unit_rows
from ..clustering.store import FAMILIES
from ..models import Face

MAX_FACES = 2000
MAX_GROUPS = 24
MAX_GROUP_SIZE = 24


def lookalike_groups(user, max_groups: int = MAX_GROUPS) -> list[list[Face]]:
    """Groups of two or more unassigned faces `user` may change, biggest first; faces in each
    nearest the seed first (the seed leads)."""
    params = ClusterParams.from_settings()
    faces = list(
        Face.objects.visible_to(user, Action.CHANGE)
        .filter(person__isnull=True, score__gte=params.min_score)
        .select_related("asset")
        .order_by("-pk")[:MAX_FACES]
    )
    families = defaultdict(list)
    for face in faces:
        for column in FAMILIES:
            if getattr(face, column) is not None:
                families[(column, face.backend)].append(face)
                break
    groups = []
    for (column, _), members in families.items():
        vectors = unit_rows(np.stack([np.asarray(getattr(face, column), dtype=np.float32) for face in members]))
        assets = np.array([face.asset_id for face in members])
        for rows in _greedy_groups(vectors, assets, params.max_distance):
            groups.append([members[row] for row in rows])
    groups.sort(key=lambda group: (-len(group), -group[0].pk))
    return groups[:max_groups]


def _greedy_groups(vectors: np.ndarray, assets: np.ndarray, max_distance: float) -> list[list[int]]:
    distance = 1 - vectors @ vectors.T
    close = (distance <= max_distance) & (assets[:, None] != assets[None, :])  # also drops the diagonal
    free = np.ones(len(vectors), dtype=bool)
    groups = []
    while True:
        counts = np.where(free, (close & free).sum(axis=1), -1)
        seed = int(np.argmax(counts))  # ties: the first, i.e. the newest face
        if counts[seed] < 1:
            return groups
        group = [seed]
        for row in sorted(np.flatnonzero(close[seed] & free), key=lambda r: distance[seed, r]):
            if len(group) == MAX_GROUP_SIZE:
                break
            if all(close[row, member] for member in group):
                group.append(int(row))
        free[group] = False
        if len(group) > 1:
            groups.append(group)
