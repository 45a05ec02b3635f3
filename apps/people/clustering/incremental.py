"""Incremental assignment: new faces join existing people through their nearest neighbours in
pgvector (HNSW), without touching anyone else. Faces no person claims stay unassigned until a
re-cluster makes new people of them."""

import logging
from collections import defaultdict

from django.db import connection, transaction

from ..models import Face
from . import store
from .centroids import refresh_centroids
from .params import ClusterParams
from .votes import neighbours_to_ask, winner

logger = logging.getLogger(__name__)

HNSW_EF_SEARCH = 40  # pgvector's default candidate list; raised when more neighbours are asked


def assign_new_faces(faces, params: ClusterParams | None = None) -> int:
    """Assign these faces (Face rows or ids) that are still unassigned; returns how many joined a
    person. Costs one HNSW query per face, all in one statement."""
    params = params or ClusterParams.from_settings()
    ids = [getattr(face, "pk", face) for face in faces]
    if not ids:
        return 0
    with transaction.atomic():
        if not store.try_lock_for_assignment():
            logger.info("re-cluster running: %d new faces left for it or a later run", len(ids))
            return 0
        candidates = Face.objects.filter(pk__in=ids, person__isnull=True, score__gte=params.min_score)
        votes = defaultdict(list)
        for column in store.FAMILIES:
            chosen = list(candidates.filter(**{f"{column}__isnull": False}).values_list("pk", flat=True))
            for face_id, person_id in _neighbour_persons(column, chosen, params):
                votes[face_id].append(person_id)
        if not votes:
            return 0
        rejected = defaultdict(set)
        for face_id, person_id in store.rejections_of(votes):
            rejected[face_id].add(person_id)
        decided = {
            face_id: person
            for face_id, persons in votes.items()
            if (person := winner(persons, params.min_neighbours, rejected[face_id])) is not None
        }
        assigned = store.set_persons(list(decided), list(decided.values()), only_if_unassigned=True)
        refresh_centroids(set(decided.values()))
    return assigned


def _neighbour_persons(column: str, face_ids: list[int], params: ClusterParams):
    """(face id, person id) for each assigned neighbour within max_distance among each face's
    nearest faces of the same backend, from other photos (one photo never shows a person twice)."""
    if not face_ids:
        return []
    k = neighbours_to_ask(params)
    table = Face._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL hnsw.ef_search = %s" % max(HNSW_EF_SEARCH, 2 * k))
        cursor.execute(
            f"""SELECT q.id, n.person_id FROM {table} q
                CROSS JOIN LATERAL (
                    SELECT o.person_id, o.{column} <=> q.{column} AS distance FROM {table} o
                    WHERE o.backend = q.backend AND o.asset_id <> q.asset_id
                    ORDER BY o.{column} <=> q.{column} LIMIT %s
                ) n
                WHERE q.id = ANY(%s::bigint[]) AND n.person_id IS NOT NULL AND n.distance <= %s""",
            [k, face_ids, params.max_distance],
        )
        return cursor.fetchall()
