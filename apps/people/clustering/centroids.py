"""Person centroids (normalised mean of their face embeddings), covers and merge suggestions."""

import numpy as np
from django.conf import settings
from django.db import connection

from ..models import Face, Person
from .neighbours import unit_rows


def _ids(person_ids) -> list[int]:
    return sorted({int(pk) for pk in person_ids if pk})


def refresh_centroids(person_ids) -> None:
    """Face count and both centroids of these people, in one UPDATE (pgvector's avg and
    l2_normalize; a family a person has no faces of gets NULL)."""
    ids = _ids(person_ids)
    if not ids:
        return
    person, face = Person._meta.db_table, Face._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {person} p SET face_count = coalesce(s.n, 0), centroid = s.c, centroid_512 = s.c512
                FROM unnest(%s::bigint[]) AS wanted(id)
                LEFT JOIN (
                    SELECT person_id, count(*) AS n,
                           l2_normalize(avg(embedding)) AS c, l2_normalize(avg(embedding_512)) AS c512
                    FROM {face} WHERE person_id = ANY(%s::bigint[]) GROUP BY person_id
                ) s ON s.person_id = wanted.id
                WHERE p.id = wanted.id""",
            [ids, ids],
        )


def refresh_covers(person_ids) -> None:
    """People without a cover, or whose cover left them, get their most confidently detected face."""
    ids = _ids(person_ids)
    if not ids:
        return
    person, face = Person._meta.db_table, Face._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {person} p SET cover_face_id = (
                    SELECT f.id FROM {face} f WHERE f.person_id = p.id ORDER BY f.score DESC, f.id LIMIT 1)
                WHERE p.id = ANY(%s::bigint[]) AND (p.cover_face_id IS NULL OR NOT EXISTS (
                    SELECT 1 FROM {face} c WHERE c.id = p.cover_face_id AND c.person_id = p.id))""",
            [ids],
        )


def merge_suggestions(people, max_distance=None) -> list[tuple[Person, Person, float]]:
    """Pairs of `people` whose centroids (same family) lie closer than max_distance (cosine),
    closest first. People counts are small (thousands): one matrix product per family."""
    if max_distance is None:
        max_distance = settings.MEDIAHUB_PERSON_MERGE_DISTANCE
    max_distance = float(max_distance)
    if not 0 < max_distance <= 2:
        raise ValueError(f"max_distance must be in (0, 2] (a cosine distance), got {max_distance!r}")
    pairs = []
    for column in ("centroid", "centroid_512"):
        chosen = list(people.filter(**{f"{column}__isnull": False}).order_by("pk"))
        if len(chosen) < 2:
            continue
        vectors = unit_rows(np.stack([np.asarray(getattr(p, column), dtype=np.float32) for p in chosen]))
        distances = 1 - vectors @ vectors.T
        rows, cols = np.nonzero(np.triu(distances < max_distance, k=1))
        pairs += [(chosen[i], chosen[j], max(0.0, float(distances[i, j]))) for i, j in zip(rows, cols)]
    pairs.sort(key=lambda pair: (pair[2], pair[0].pk, pair[1].pk))
    return pairs
