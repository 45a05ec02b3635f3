"""Incremental assignment: new faces join existing people through their nearest neighbours in
pgvector (HNSW), without touching anyone else. Faces no person claims stay unassigned until a
re-cluster makes new people of them."""

import logging
from collections import defaultdict

import numpy as np
from django.db import connection, transaction

from ..models import Face, FaceRejection, Person
from . import store
from .params import ClusterParams
from .votes import neighbours_to_ask, winner

logger = logging.getLogger(__name__)

HNSW_EF_SEARCH = 40  # pgvector's default candidate list; raised when more neighbours are asked


def assign_new_faces(faces, params: ClusterParams | None = None) -> int:
    """Assign those of these faces (Face rows or ids) that are still unassigned; returns how many
    joined a person. One HNSW query per face, all in one statement; the faces stage calls this per
    photo, so round trips are counted (about seven)."""
    params = params or ClusterParams.from_settings()
    ids = [int(getattr(face, "pk", face)) for face in faces]
    if not ids:
        return 0
    with transaction.atomic():
        if not store.try_lock_for_assignment():
            logger.info("re-cluster running: %d new faces left for it or a later run", len(ids))
            return 0
        votes, rejected = defaultdict(list), defaultdict(set)
        family_of = {}
        for column, face_id, person_id, was_rejected in _neighbour_persons(ids, params):
            family_of[face_id] = column
            votes[face_id].append(person_id)
            if was_rejected:
                rejected[face_id].add(person_id)
        decided = {
            face_id: person
            for face_id, persons in votes.items()
            if (person := winner(persons, params.min_neighbours, rejected[face_id])) is not None
        }
        joined = _assign(decided)
        for column, centroid in store.FAMILIES.items():
            _move_centroids([row for row in joined if family_of[row[0]] == column], column, centroid)
    return len(joined)


def _neighbour_persons(face_ids: list[int], params: ClusterParams):
    """(vector column, face id, person id, rejected?) for each assigned neighbour within
    max_distance among the k nearest faces of the same family and backend from other photos (one
    photo never shows a person twice), for those of the faces still unassigned and sure enough."""
    k = neighbours_to_ask(params)
    face, rejection = Face._meta.db_table, FaceRejection._meta.db_table
    per_family = [
        f"""SELECT '{column}', q.id, n.person_id, EXISTS (
                SELECT 1 FROM {rejection} r WHERE r.face_id = q.id AND r.person_id = n.person_id)
            FROM {face} q
            CROSS JOIN LATERAL (
                SELECT o.person_id, o.{column} <=> q.{column} AS distance FROM {face} o
                WHERE o.backend = q.backend AND o.asset_id <> q.asset_id
                ORDER BY o.{column} <=> q.{column} LIMIT %s
            ) n
            WHERE q.id = ANY(%s::bigint[]) AND q.person_id IS NULL AND q.score >= %s
              AND q.{column} IS NOT NULL AND n.person_id IS NOT NULL AND n.distance <= %s"""
        for column in store.FAMILIES
    ]
    with connection.cursor() as cursor:
        if 2 * k > HNSW_EF_SEARCH:  # the index returns at most ef_search rows per scan
            cursor.execute("SET LOCAL hnsw.ef_search = %d" % (2 * k))
        cursor.execute(" UNION ALL ".join(per_family), [k, face_ids, params.min_score, params.max_distance] * len(per_family))
        return cursor.fetchall()


def _assign(decided: dict[int, int]) -> list[tuple[int, int, str]]:
    """(face id, person id, vector as text) of the faces set, in one UPDATE; a face someone
    assigned meanwhile is left alone."""
    if not decided:
        return []
    vector = " || ".join(f"coalesce(f.{column}::text, '')" for column in store.FAMILIES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Face._meta.db_table} f SET person_id = v.person_id
                FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, person_id)
                WHERE f.id = v.id AND f.person_id IS NULL RETURNING f.id, f.person_id, {vector}""",
            [list(decided), list(decided.values())],
        )
        return cursor.fetchall()


def _move_centroids(joined, column: str, centroid: str) -> None:
    """Add the new faces to their people's counts and centroids without re-reading every face of
    the person (thousands for some: ~8 ms each at 6,000): the old centroid weighs face_count faces.
    That treats the old normalised mean as a mean, a small bias that a re-cluster or
    refresh_centroids resets exactly."""
    if not joined:
        return
    added = defaultdict(list)
    for _, person_id, text in joined:
        added[person_id].append(np.array(text.strip("[]").split(","), dtype=np.float64))
    people = list(Person.objects.filter(pk__in=list(added)).only("pk", "face_count", centroid))
    for person in people:
        total = np.sum(added[person.pk], axis=0)
        old = getattr(person, centroid)
        if old is not None:
            total += np.asarray(old, dtype=np.float64) * person.face_count
        setattr(person, centroid, (total / max(np.linalg.norm(total), 1e-12)).astype(np.float32))
        person.face_count += len(added[person.pk])
    Person.objects.bulk_update(people, ["face_count", centroid])
