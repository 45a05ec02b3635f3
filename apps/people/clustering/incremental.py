"""Incremental assignment: new faces join existing people through their nearest neighbours in
pgvector (HNSW), without touching anyone else. A face no person claims makes a new person with one
other unassigned face when the two are each other's only very close neighbour (pairs.py, the rule
the re-cluster applies too); other faces stay unassigned until a re-cluster makes new people of
them."""

import logging
from collections import defaultdict

import numpy as np
from django.db import connection, transaction

from ..models import Face, FaceRejection, Person
from . import store
from .centroids import refresh_covers
from .params import ClusterParams
from .votes import neighbours_to_ask, winner

logger = logging.getLogger(__name__)

HNSW_EF_SEARCH = 40  # pgvector's default candidate list; raised when more neighbours are asked


def assign_new_faces(faces, params: ClusterParams | None = None) -> int:
    """Assign those of these faces (Face rows or ids) that are still unassigned; returns how many
    of them joined a person (a face they pair with is not counted). One HNSW query per face, all
    in one statement, and one more for the pair rule when some stay unassigned; the faces stage
    calls this per photo, so round trips are counted (about seven, eight with the pair query)."""
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
        joined += _pair_up([face_id for face_id in ids if face_id not in decided], params, family_of)
        for column, centroid in store.FAMILIES.items():
            _move_centroids([row for row in joined if family_of[row[0]] == column], column, centroid)
    given = set(ids)
    return sum(1 for face_id, _, _ in joined if face_id in given)


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


def _pair_up(face_ids: list[int], params: ClusterParams, family_of: dict) -> list[tuple[int, int, str]]:
    """New people of two for those of these faces that form a lone pair with an unassigned face;
    rows as _assign returns them (family_of learns both faces' vector column)."""
    pairs = {}
    for column, face_id, partner in _lone_partners(face_ids, params):
        pairs[tuple(sorted((face_id, partner)))] = column
        family_of[face_id] = family_of[partner] = column
    if not pairs:
        return []
    people = store.create_people(len(pairs))
    joined = _assign({face: person for pair, person in zip(sorted(pairs), people) for face in pair})
    # A face assigned meanwhile (by a user, or another pair in this batch) leaves its partner
    # alone: a person of one face is no pair.
    count = defaultdict(int)
    for _, person, _ in joined:
        count[person] += 1
    single = [person for person in people if count[person] < 2]
    if single:
        Face.objects.filter(person__in=single).update(person=None)
        Person.objects.filter(pk__in=single).delete()
    refresh_covers(set(people) - set(single))
    return [row for row in joined if count[row[1]] == 2]


def _lone_partners(face_ids: list[int], params: ClusterParams) -> list[tuple[str, int, int]]:
    """(vector column, face, partner) where the partner, unassigned, is the face's only face within
    pair_distance and the face the partner's only one (faces of the same photo aside, both sure
    enough): the full re-cluster's lone_pairs test, through the HNSW index (two nearest per face)."""
    if params.pair_distance <= 0 or not face_ids:
        return []
    face = Face._meta.db_table
    per_family = [
        f"""SELECT '{column}', q.id, min(n.id), min(n.person_id), count(*),
                   max((SELECT count(*) FROM (
                        SELECT m.{column} <=> n.vector AS distance FROM {face} m
                        WHERE m.backend = q.backend AND m.asset_id <> n.asset_id AND m.score >= %(score)s
                          AND m.{column} IS NOT NULL
                        ORDER BY m.{column} <=> n.vector LIMIT 2) b WHERE b.distance <= %(pair)s))
            FROM {face} q
            CROSS JOIN LATERAL (
                SELECT o.id, o.person_id, o.asset_id, o.{column} AS vector, o.{column} <=> q.{column} AS distance
                FROM {face} o
                WHERE o.backend = q.backend AND o.asset_id <> q.asset_id AND o.score >= %(score)s
                  AND o.{column} IS NOT NULL
                ORDER BY o.{column} <=> q.{column} LIMIT 2
            ) n
            WHERE q.id = ANY(%(ids)s::bigint[]) AND q.person_id IS NULL AND q.score >= %(score)s
              AND q.{column} IS NOT NULL AND n.distance <= %(pair)s
            GROUP BY q.id"""
        for column in store.FAMILIES
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(per_family), {"ids": face_ids, "score": params.min_score, "pair": params.pair_distance}
        )
        rows = cursor.fetchall()
    # One close neighbour, unassigned, whose own only close neighbour is this face.
    return [(column, face_id, partner) for column, face_id, partner, person, close, partner_close in rows
            if close == 1 and person is None and partner_close == 1]


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
