"""Face clustering at 100,000 faces: full re-cluster seconds and incremental assignment ms/face.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_clustering.py -s
Synthetic 128-d unit embeddings: BENCH_FACES faces (default 100,000) of ~3,000 identities with
skewed photo counts (a few people in thousands of photos, most in a handful), per-face noise like
SFace's (same-person cosine distance ~0.15-0.45), some look-alike pairs (siblings) and 8% strangers
seen once. Prints the first re-cluster (every face unassigned: every assignment is written), a
second one on the clustered library (nothing to write), pairwise precision/recall and BCubed F1
against the identities, and incremental assignment with the table full (HNSW), per face as the
faces stage calls it and in batches. Goals (issue 5): re-cluster < 60 s, assignment < 10 ms/face.
BENCH_REBUILD_INDEX=0 makes the first re-cluster keep the HNSW index up to date row by row instead
of rebuilding it (to compare the two).
"""

import os
import statistics
import time
from collections import Counter

import numpy as np
import pytest
from django.db import connection

from apps.assets.models import Asset
from apps.people import clustering
from apps.people.clustering import ClusterParams, store
from apps.people.models import Face, Person
from tests.benchmarks.bench_timeline import bulk_insert
from tests.factories import LibraryFactory

FACES = int(os.environ.get("BENCH_FACES", 100_000))
IDENTITIES = 3000
STRANGERS = 0.08
SIBLING_PAIRS = 100
NEW_FACES = 300
FACES_PER_PHOTO = 2

pytestmark = pytest.mark.django_db


def unit_rows(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def synthetic_faces(count, seed=0):
    """(vectors, identity labels); strangers get labels of their own (from IDENTITIES up)."""
    rng = np.random.default_rng(seed)
    shared = rng.standard_normal(128)
    # Faces share structure: different people's faces sit ~0.85 apart (1% under 0.7), not orthogonal
    # (1.0), as SFace's do on the corpus.
    shared = 0.41 * shared / np.linalg.norm(shared)
    centres = unit_rows(shared + 0.91 * rng.standard_normal((IDENTITIES, 128)) / np.sqrt(128))
    # Look-alikes (siblings): the second of a pair is pulled towards the first (centres ~0.32 apart,
    # their faces ~0.55, some under max_distance: what chains two people into one).
    for a in range(SIBLING_PAIRS):
        b = IDENTITIES - 1 - a
        centres[b] = unit_rows((0.55 * centres[a] + 0.835 * centres[b])[None])[0]
    known = int(count * (1 - STRANGERS))
    weights = rng.pareto(1.2, IDENTITIES) + 0.2
    labels = rng.choice(IDENTITIES, known, p=weights / weights.sum())
    noise = rng.uniform(0.45, 0.8, known)[:, None]
    faces = unit_rows(centres[labels] + noise * rng.standard_normal((known, 128)) / np.sqrt(128))
    strangers = unit_rows(shared + 0.91 * rng.standard_normal((count - known, 128)) / np.sqrt(128))
    labels = np.concatenate([labels, IDENTITIES + np.arange(count - known)])
    order = rng.permutation(count)
    return np.vstack([faces, strangers])[order], labels[order]


def copy_faces(asset_ids, vectors, first_asset=0):
    """COPY the faces in, FACES_PER_PHOTO per photo, with the HNSW index rebuilt afterwards (far
    cheaper than maintaining it row by row)."""
    columns = "asset_id, x, y, width, height, preview_width, preview_height, landmarks, score, backend, embedding, assigned_by, created"
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a deferred FK check would block CREATE INDEX
        cursor.execute("DROP INDEX face_embedding_hnsw")
        with cursor.cursor.copy(f"COPY {Face._meta.db_table} ({columns}) FROM STDIN") as copy:
            for n, vector in enumerate(vectors):
                text = "[" + ",".join(f"{v:.6f}" for v in vector) + "]"
                asset = asset_ids[first_asset + n // FACES_PER_PHOTO]
                copy.write_row((asset, 10, 10, 60, 60, 400, 300, "[]", 0.9, "yunet", text, "auto", "2026-01-01T00:00:00Z"))
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(
            "CREATE INDEX face_embedding_hnsw ON people_face USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)"
        )
        cursor.execute(f"ANALYZE {Face._meta.db_table}")


def pairwise_and_bcubed(truth, predicted):
    """Pairwise precision/recall and BCubed F1; an unassigned face is a cluster of its own."""
    predicted = np.where(predicted > 0, predicted, -1 - np.arange(len(predicted)))

    def pairs(counter):
        return sum(n * (n - 1) // 2 for n in counter.values())

    joint, by_pred, by_truth = Counter(zip(truth, predicted)), Counter(predicted), Counter(truth)
    precision = pairs(joint) / max(1, pairs(by_pred))
    recall = pairs(joint) / max(1, pairs(by_truth))
    bp = np.mean([joint[(t, p)] / by_pred[p] for t, p in zip(truth, predicted)])
    br = np.mean([joint[(t, p)] / by_truth[t] for t, p in zip(truth, predicted)])
    return precision, recall, 2 * bp * br / (bp + br)


def test_recluster_and_incremental_assignment_at_100k_faces(user, monkeypatch):
    if os.environ.get("BENCH_REBUILD_INDEX", "1") == "0":
        monkeypatch.setattr(store, "REBUILD_INDEX_MIN_ROWS", 10**12)
    library = LibraryFactory(owner=user)
    vectors, truth = synthetic_faces(FACES + NEW_FACES)
    photos = (FACES + NEW_FACES + FACES_PER_PHOTO - 1) // FACES_PER_PHOTO
    start = time.perf_counter()
    bulk_insert(library.id, photos)
    asset_ids = list(Asset.objects.order_by("id").values_list("id", flat=True))
    copy_faces(asset_ids, vectors[:FACES])
    print(f"\n{FACES:,} faces of {IDENTITIES:,} identities inserted in {time.perf_counter() - start:.1f} s")
    params = ClusterParams.from_settings()
    print(f"params: {params}")

    steps, last = [], [time.perf_counter()]

    def on_progress(step, done, total):
        now = time.perf_counter()
        steps.append((step, now - last[0]))
        last[0] = now

    first = clustering.recluster(params, on_progress=on_progress)
    on_progress("end", 0, 0)
    timings = ", ".join(f"{name} {seconds:.1f} s" for (name, _), (_, seconds) in zip(steps, steps[1:]))
    print(f"first re-cluster (all unassigned): {first['seconds']:.1f} s ({timings}) -> {first}")

    ids = np.array(Face.objects.order_by("id").values_list("id", flat=True))
    persons = dict(Face.objects.values_list("id", "person_id"))
    predicted = np.array([persons[i] or 0 for i in ids])
    truth_in_db = truth[:FACES]  # COPY kept the order, ids ascend with it
    precision, recall, bcubed = pairwise_and_bcubed(truth_in_db, predicted)
    print(
        f"quality: pairwise precision {precision:.4f}, recall {recall:.4f}, BCubed F1 {bcubed:.4f}; "
        f"{Person.objects.count():,} people for {len(set(truth_in_db[truth_in_db < IDENTITIES])):,} identities"
    )

    second = clustering.recluster(params)
    print(f"second re-cluster (nothing changed): {second['seconds']:.1f} s -> {second}")

    # New photos arrive: COPY without touching the index is not possible here, so insert normally.
    new_vectors = vectors[FACES:]
    with connection.cursor() as cursor:
        for n, vector in enumerate(new_vectors):
            cursor.execute(
                f"""INSERT INTO {Face._meta.db_table} (asset_id, x, y, width, height, preview_width, preview_height,
                    landmarks, score, backend, embedding, assigned_by, created)
                    VALUES (%s, 10, 10, 60, 60, 400, 300, '[]', 0.9, 'yunet', %s, 'auto', now())""",
                [asset_ids[FACES // FACES_PER_PHOTO + n // FACES_PER_PHOTO], "[" + ",".join(map(str, vector)) + "]"],
            )
    new_faces = list(Face.objects.filter(person__isnull=True, pk__gt=int(ids[-1])).order_by("pk"))
    half = len(new_faces) // 2
    samples, assigned = [], 0
    for face in new_faces[:half]:  # as the faces stage calls it: one photo's faces at a time
        start = time.perf_counter()
        assigned += clustering.assign_new_faces([face], params)
        samples.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    assigned += clustering.assign_new_faces(new_faces[half:], params)
    batch_ms = (time.perf_counter() - start) * 1000 / max(1, len(new_faces) - half)
    samples.sort()
    print(
        f"incremental assignment with {FACES:,} faces in the table: one face per call p50 "
        f"{statistics.median(samples):.1f} ms, p95 {samples[int(len(samples) * 0.95) - 1]:.1f} ms; "
        f"{len(new_faces) - half} faces in one call {batch_ms:.2f} ms/face; "
        f"{assigned}/{len(new_faces)} assigned (goal < 10 ms/face)"
    )
    # Where a single-face call goes: the HNSW neighbour query alone, and what an exact centroid
    # refresh of the biggest person would cost instead of the incremental update.
    from apps.people.clustering.incremental import _neighbour_persons

    probe = int(Face.objects.filter(person__isnull=True).order_by("-pk").values_list("pk", flat=True).first())
    start = time.perf_counter()
    for _ in range(20):
        _neighbour_persons([probe], params)
    query_ms = (time.perf_counter() - start) * 1000 / 20
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for _ in range(100):
            cursor.execute("SELECT 1")
    round_trip_ms = (time.perf_counter() - start) * 10
    biggest = Person.objects.order_by("-face_count").first()
    start = time.perf_counter()
    clustering.refresh_centroids([biggest.pk])
    refresh_ms = (time.perf_counter() - start) * 1000
    print(
        f"  of which the HNSW neighbour query {query_ms:.1f} ms (a bare round trip to PostgreSQL here: "
        f"{round_trip_ms:.2f} ms); an exact centroid refresh of the biggest "
        f"person ({biggest.face_count:,} faces) would add {refresh_ms:.1f} ms"
    )
    majority = {}
    for person, label in zip(predicted, truth_in_db):
        if person:
            majority.setdefault(person, Counter())[label] += 1
    new_truth = dict(zip([f.pk for f in new_faces], truth[FACES:]))
    # People of two that new faces formed with earlier unassigned ones (pairs.py): whoever their faces are.
    truth_of = {**dict(zip(ids.tolist(), truth_in_db)), **new_truth}
    for face_id, person in Face.objects.filter(person__isnull=False).exclude(person__in=list(majority)).values_list("id", "person"):
        majority.setdefault(person, Counter())[truth_of[face_id]] += 1
    wrong = sum(
        1
        for face_id, person in Face.objects.filter(pk__in=list(new_truth), person__isnull=False).values_list("id", "person")
        if majority[person].most_common(1)[0][0] != new_truth[face_id]
    )
    print(f"incremental: {wrong} of {assigned} assigned faces went to a person made mostly of another identity")
    assert first["faces_assigned"] > FACES * 0.5
