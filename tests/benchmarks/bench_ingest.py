"""End-to-end ingest of 12 MP JPEGs against a floor doing only the unavoidable work.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_ingest.py -s
  BENCH_FILES   photos in the library (default 300)
  BENCH_WORKERS django-q2 workers and floor processes (default 2, as ./run.sh on 2 cores)

MediaHub: a fresh data dir and embedded database, `manage.py qcluster` running as ./run.sh
starts it, then `manage.py scan` (walk, hash, queue the stages); the clock stops when every
queued pipeline stage (metadata, thumbnail, preview, ...) has finished and been committed.
Floor: BENCH_WORKERS processes that only read + BLAKE3 + EXIF parse + reduced-scale decode +
write the same thumbnail (WebP) and preview (JPEG) with the same settings.
Also times the corpus mix (every file of ../shared/corpus that is not in corrupt/).
"""

import io
import os
import random
import shutil
import subprocess
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import blake3
import exifread
import psycopg
import pytest
from PIL import Image, ImageOps

from tests.corpus import CORPUS, REPO

FILES = int(os.environ.get("BENCH_FILES", 300))
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
CACHE = Path("/tmp/mediahub-bench-ingest")
SIZE_12MP = (4000, 3000)


def source_photos():
    photos = sorted(p for p in (CORPUS / "jpeg_exif").rglob("*") if p.suffix.lower() in (".jpg", ".jpeg"))
    usable = []
    for path in photos:
        try:
            with Image.open(path) as image:
                if image.width >= 640 and image.getexif().get(0x010F):  # a real camera photo...
                    image.draft("RGB", (160, 120))
                    image.load()  # ...whose pixels decode
                    usable.append(path)
        except Exception:
            continue
    return usable


def build_library(count: int) -> Path:
    """12 MP upscales of corpus photos, EXIF kept, fixed seed; cached between runs."""
    target = CACHE / f"library-{count}"
    if target.exists() and len(list(target.iterdir())) == count:
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    rng = random.Random(4120)
    sources = source_photos()
    for index in range(count):
        source = rng.choice(sources)
        with Image.open(source) as image:
            exif = image.info.get("exif", b"")
            big = ImageOps.exif_transpose(image.convert("RGB")).resize(SIZE_12MP, Image.Resampling.BILINEAR)
            # A different crop offset per copy keeps content hashes (and pHashes) distinct.
            big = big.rotate(rng.uniform(-2, 2))
            big.save(target / f"IMG_{index:04d}.jpg", quality=90, exif=exif)
    return target


def floor_one(args):
    source, out = args
    data = source.read_bytes()
    blake3.blake3(data).hexdigest()
    exifread.process_file(io.BytesIO(data), details=False)
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (1600, 1200))
        image = ImageOps.exif_transpose(image.convert("RGB"))
        image.thumbnail((1600, 1600), Image.Resampling.BICUBIC, reducing_gap=2.0)
        image.save(out / f"{source.stem}.jpg", quality=85)
        image.thumbnail((256, 256), Image.Resampling.LANCZOS, reducing_gap=2.0)
        image.save(out / f"{source.stem}.webp", quality=80, method=2)


def floor_rate(files: list[Path], out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with Pool(WORKERS) as pool:
        pool.map(floor_one, [(f, out) for f in files], chunksize=4)
    return len(files) / (time.perf_counter() - start)


def manage(env, *args):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done


def mediahub_rate(library: Path, data_dir: Path) -> tuple[float, int]:
    """Files/s from the scan's start until the queue of pipeline stages has drained."""
    env = {**os.environ, "MEDIAHUB_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "mediahub.settings",
           "MEDIAHUB_WORKERS": str(WORKERS), "MEDIAHUB_ADMIN_PASSWORD": "bench-password-123"}
    env.pop("DATABASE_URL", None)
    manage(env, "migrate", "-v0")
    manage(env, "ensure_admin")
    manage(env, "add_library", str(library))
    # Holding a connection keeps the embedded server up between the commands below.
    from mediahub.embedded_db import ensure_running

    server = ensure_running(data_dir / "postgres")
    worker = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with psycopg.connect(server.conninfo("mediahub"), autocommit=True) as conn:
            start = time.perf_counter()
            manage(env, "scan", str(library))
            expected = conn.execute("SELECT count(*) FROM assets_asset WHERE kind IN ('photo','video','audio')").fetchone()[0]
            # The ORM broker deletes a task's row only after the task finished and was saved:
            # an empty queue means every stage of every asset is committed.
            while conn.execute("SELECT count(*) FROM django_q_ormq").fetchone()[0]:
                time.sleep(0.1)
            elapsed = time.perf_counter() - start
            errors = conn.execute("SELECT count(*) FROM assets_asset WHERE status = 'error'").fetchone()[0]
        return expected / elapsed, errors
    finally:
        worker.terminate()
        worker.wait(timeout=60)


@pytest.mark.skipif(not CORPUS.exists(), reason=f"corpus not found at {CORPUS}")
def test_ingest_rate_against_the_floor(tmp_path):
    library = build_library(FILES)
    files = sorted(library.iterdir())
    floor = floor_rate(files, tmp_path / "floor")
    rate, errors = mediahub_rate(library, tmp_path / "mediahub")
    print(f"\n{FILES} x 12 MP JPEG, {WORKERS} workers")
    print(f"floor    : {floor:6.1f} files/s")
    print(f"MediaHub : {rate:6.1f} files/s end to end ({errors} errors)  = {rate / floor:.0%} of the floor (goal >= 80 %)")

    corpus_library = tmp_path / "corpus-mix"
    shutil.copytree(CORPUS, corpus_library, ignore=shutil.ignore_patterns("corrupt", "*.json", "*.tsv", "*.md"))
    mix_rate, mix_errors = mediahub_rate(corpus_library, tmp_path / "mediahub-mix")
    print(f"corpus mix: {mix_rate:6.1f} files/s end to end ({mix_errors} errors)")
