"""Reading faces as arrays and writing assignments back, in bulk: the database side of clustering."""

from dataclasses import dataclass

import numpy as np
import psycopg
from django.db import connection
from psycopg.adapt import Loader
from psycopg.pq import Format
from psycopg.types import TypeInfo

from ..models import Face, FaceRejection, Person
from .neighbours import unit_rows

# Embedding families: the vector column and its person centroid column. A family is also split by
# Face.backend, so vectors of two models are never compared even at the same dimension.
FAMILIES = {"embedding": "centroid", "embedding_512": "centroid_512"}
LOCK_KEY = 0x6D68_6661_6365  # "mhface": re-cluster holds it exclusively, assignment shared
NO_PERSON = 0  # person ids are positive; arrays use 0 for "nobody"


def lock_for_recluster() -> None:
    """Wait for running incremental assignments, and keep new ones out until commit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def try_lock_for_assignment() -> bool:
    """False while a re-cluster runs: assignment then leaves its faces for later rather than wait,
    because the faces stage that calls it holds row locks the re-cluster may be waiting for."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s)", [LOCK_KEY])
        return cursor.fetchone()[0]


class _RawVector(Loader):
    """pgvector's binary form (uint16 dim, uint16 unused, big-endian float32s) straight to numpy."""

    format = Format.BINARY

    def load(self, data):
        return np.frombuffer(data, dtype=">f4", offset=4)


@dataclass
class FamilyFaces:
    """The faces of one family as parallel arrays (row i = one face)."""

    ids: np.ndarray
    persons: np.ndarray  # NO_PERSON when unassigned
    by_user: np.ndarray  # bool: assigned_by == user
    assets: np.ndarray  # small integer per asset: faces of one photo are never one person
    vectors: np.ndarray  # unit float32 rows

    def __len__(self):
        return len(self.ids)


def families_present() -> list[tuple[str, str]]:
    """(vector column, backend) pairs that have faces."""
    pairs = []
    for column in FAMILIES:
        backends = Face.objects.filter(**{f"{column}__isnull": False}).order_by().values_list("backend", flat=True)
        pairs += [(column, backend) for backend in sorted(set(backends.distinct()))]
    return pairs


def load_family(column: str, backend: str, min_score: float) -> FamilyFaces:
    assert column in FAMILIES
    table = Face._meta.db_table
    connection.ensure_connection()
    # A plain psycopg cursor (Django's client-side one cannot return binary) with its own loader.
    with psycopg.Cursor(connection.connection) as cursor:
        info = TypeInfo.fetch(cursor.connection, "vector")
        cursor.adapters.register_loader(info.oid, _RawVector)
        cursor.execute(
            f"""SELECT id, coalesce(person_id, 0), assigned_by = 'user', dense_rank() OVER (ORDER BY asset_id), {column}
                FROM {table} WHERE backend = %s AND {column} IS NOT NULL AND score >= %s ORDER BY id""",
            [backend, min_score],
            binary=True,
        )
        rows = cursor.fetchall()
    if not rows:
        return FamilyFaces(*(np.zeros(0, dtype=np.int64) for _ in range(4)), np.zeros((0, 0), dtype=np.float32))
    ids, persons, by_user, assets, vectors = zip(*rows)
    return FamilyFaces(
        ids=np.array(ids, dtype=np.int64),
        persons=np.array(persons, dtype=np.int64),
        by_user=np.array(by_user, dtype=bool),
        assets=np.array(assets, dtype=np.int64),
        vectors=unit_rows(np.stack(vectors)),
    )


def rejections_of(face_ids) -> set[tuple[int, int]]:
    """(face id, person id) pairs a user said no to."""
    return set(FaceRejection.objects.filter(face_id__in=list(face_ids)).values_list("face_id", "person_id"))


def all_rejections() -> set[tuple[int, int]]:
    return set(FaceRejection.objects.values_list("face_id", "person_id"))


def set_persons(face_ids, person_ids) -> None:
    """One UPDATE for all the faces (NO_PERSON clears), in the order given."""
    if len(face_ids) == 0:
        return
    persons = [int(p) if p != NO_PERSON else None for p in person_ids]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Face._meta.db_table} f SET person_id = v.person_id
                FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, person_id)
                WHERE f.id = v.id""",
            [[int(i) for i in face_ids], persons],
        )


# Rebuilding a family's HNSW index beats maintaining it row by row once this many faces change and
# they are most of the family: the first re-cluster of a big library (measured with 90,000 of
# 100,000 faces changing: 57 s of row-by-row index upkeep, 32 s to update and rebuild).
REBUILD_INDEX_MIN_ROWS = 20_000
REBUILD_INDEX_MIN_SHARE = 0.5
REBUILD_MAINTENANCE_WORK_MEM = "256MB"  # the HNSW graph of 100,000 128-d faces fits; else builds crawl


def set_persons_in_bulk(column: str, family_size: int, face_ids, person_ids) -> None:
    """set_persons for a re-cluster. Every changed row is re-inserted into every index (person_id
    is indexed, so no update is HOT), and an HNSW insert costs about a search (~1-2 ms). When most
    of a big family changes, the family's HNSW index is dropped and rebuilt from its definition in
    this same transaction instead: a failure rolls both back, and the table is locked meanwhile
    (faces queries wait until the re-cluster commits)."""
    rebuild = len(face_ids) >= max(REBUILD_INDEX_MIN_ROWS, REBUILD_INDEX_MIN_SHARE * family_size)
    definitions = _hnsw_indexes_on(column) if rebuild else []
    with connection.cursor() as cursor:
        if definitions:
            # Index DDL refuses to run while deferred foreign-key checks are pending (rows this
            # transaction wrote earlier): run those checks now instead of at commit.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _ in definitions:
            cursor.execute(f'DROP INDEX "{name}"')
        set_persons(face_ids, person_ids)
        if definitions:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{REBUILD_MAINTENANCE_WORK_MEM}'")
        for _, definition in definitions:
            cursor.execute(definition)


def _hnsw_indexes_on(column: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the HNSW indexes over this Face column."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
               JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
               JOIN pg_am am ON am.oid = i.relam
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(x.indkey)
               WHERE t.relname = %s AND am.amname = 'hnsw' AND a.attname = %s""",
            [Face._meta.db_table, column],
        )
        return cursor.fetchall()


def create_people(count: int) -> list[int]:
    people = Person.objects.bulk_create([Person() for _ in range(count)], batch_size=5000)
    return [p.pk for p in people]
