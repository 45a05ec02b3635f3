"""A ZIP of 1,000 photos streamed through the real HTTP stack (gunicorn -> POST /api/assets/download/)
against reading the same files from disk, with a cold page cache and with a warm one.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_zip.py -s
  BENCH_ZIP_FILES   photos (default 1000)
  BENCH_ZIP_KINDS   distinct real JPEGs of about 3 MB that the photos are copies of (default 8):
                    encoding 1,000 different 12 MP JPEGs would take longer than the benchmark
  BENCH_ROUNDS      rounds of each, interleaved (default 2; the best of each is compared, as other
                    work on the machine only ever slows a round down)

"Cold" evicts every file from the page cache first (posix_fadvise DONTNEED after a sync: no root
needed, and other processes' cache is left alone); "warm" reads them once before. The disk read is
the floor: one process reading each file in 1 MiB chunks and discarding them. The acceptance
(issue 15): the ZIP streams at >= 80% of that rate with a cold cache (asserted); the warm ratio
and the CPU seconds per GiB of each side are printed.
"""

import http.client
import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from apps.accounts.tokens import create_token
from apps.assets.models import Asset
from tests.assets.media_samples import library_at
from tests.core.install import free_port
from tests.scanning.subprocess_env import child_env, start_gunicorn

MIB = 1024 * 1024
FILES = int(os.environ.get("BENCH_ZIP_FILES", 1000))
KINDS = int(os.environ.get("BENCH_ZIP_KINDS", 8))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 2))


def make_photos(root: Path) -> list[Path]:
    """FILES real JPEGs of about 3 MB (4000x3000 camera-like noise and gradients, quality 90)."""
    rng = np.random.default_rng(15)
    kinds = []
    for n in range(KINDS):
        ramp = np.linspace(0, 200, 4000, dtype=np.float32)[None, :, None]
        noise = rng.normal(0, 18, (3000, 4000, 3)).astype(np.float32)
        pixels = np.clip(ramp + noise + 20 * n, 0, 255).astype(np.uint8)
        path = root / f"kind_{n}.jpg"
        Image.fromarray(pixels).save(path, quality=90)
        kinds.append(path)
    photos = []
    for n in range(FILES):
        path = root / "photos" / f"IMG_{n:04d}.jpg"
        path.parent.mkdir(exist_ok=True)
        shutil.copyfile(kinds[n % KINDS], path)
        photos.append(path)
    os.sync()  # dirty pages cannot be evicted
    return photos


def evict(paths) -> None:
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def cpu_seconds(processes) -> float:
    return sum(sum(p.cpu_times()[:2]) for p in processes)


def read_all(paths) -> tuple[float, int]:
    started, total = time.perf_counter(), 0
    for path in paths:
        with open(path, "rb", buffering=0) as handle:
            while chunk := handle.read(MIB):
                total += len(chunk)
    return time.perf_counter() - started, total


def zip_over_http(port: int, headers: dict, ids: list[str]) -> tuple[float, int]:
    """The selection's ZIP, read to its end as a browser would, in 1 MiB reads."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("POST", "/api/assets/download/", body=json.dumps({"ids": ids}),
                       headers={**headers, "Content-Type": "application/json"})
    response = connection.getresponse()
    assert response.status == 200, response.read()[:300]
    total = 0
    while chunk := response.read(MIB):
        total += len(chunk)
    connection.close()
    assert total == int(response.getheader("Content-Length")), "the announced length is what came"
    return time.perf_counter() - started, total


@pytest.mark.django_db(transaction=True)
def test_a_zip_of_1000_photos_streams_at_80_percent_of_reading_them_from_disk(user, tmp_path):
    photos = make_photos(tmp_path)
    library = library_at(tmp_path / "photos", user)
    Asset.objects.bulk_create([
        Asset(library=library, path=p.name, filename=p.name, kind=Asset.Kind.PHOTO, mime="image/jpeg",
              size=p.stat().st_size, status=Asset.Status.READY)
        for p in photos
    ])
    ids = [str(pk) for pk in Asset.objects.filter(library=library).values_list("pk", flat=True)]
    headers = {"Authorization": f"Token {create_token(user, 'bench')[1]}"}
    port = free_port()
    web = start_gunicorn(child_env(tmp_path / "data"), port, tmp_path / "web.log", workers=1)
    results = {"cold": {"disk": [], "zip": []}, "warm": {"disk": [], "zip": []}}
    cpu = {"disk": [], "server": [], "client": []}  # CPU seconds of the warm runs: where the time goes
    size = 0
    try:
        zip_over_http(port, headers, ids[:5])  # the worker's imports and first queries
        for _ in range(ROUNDS):
            evict(photos)
            seconds, size = read_all(photos)
            results["cold"]["disk"].append(seconds)
            evict(photos)
            results["cold"]["zip"].append(zip_over_http(port, headers, ids)[0])
            read_all(photos)
            before = time.process_time()
            results["warm"]["disk"].append(read_all(photos)[0])
            cpu["disk"].append(time.process_time() - before)
            server, before = cpu_seconds(web.tree()), time.process_time()
            results["warm"]["zip"].append(zip_over_http(port, headers, ids)[0])
            cpu["client"].append(time.process_time() - before)
            cpu["server"].append(cpu_seconds(web.tree()) - server)
    finally:
        web.end()

    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"\nFIGURE zip of {FILES} photos, {size / MIB:,.0f} MiB ({size / FILES / MIB:.1f} MiB each), "
          f"gunicorn 1 worker, best of {ROUNDS}; load average {load}; {os.cpu_count()} CPUs")
    ratios = {}
    for cache, runs in results.items():
        disk, zipped = size / min(runs["disk"]) / MIB, size / min(runs["zip"]) / MIB
        ratios[cache] = zipped / disk
        print(f"  {cache} cache: disk read {disk:,.0f} MiB/s, ZIP over HTTP {zipped:,.0f} MiB/s, "
              f"ratio {ratios[cache]:.2f} (disk {', '.join(f'{s:.2f}' for s in runs['disk'])} s; "
              f"zip {', '.join(f'{s:.2f}' for s in runs['zip'])} s)")
    gib = size / 1024**3
    print(f"  CPU seconds per GiB (warm, best): disk read {min(cpu['disk']) / gib:.2f}; ZIP: gunicorn "
          f"{min(cpu['server']) / gib:.2f} (read, CRC-32, send), client {min(cpu['client']) / gib:.2f} (receive)")
    # The acceptance is on a cold cache, where 1,000 photos of a few MB are read from the disk in
    # real use. Warm, the floor is one memory copy per byte, while the ZIP costs a read, a CRC-32,
    # a send and the client's receive in two processes: on a loaded 2-core machine it is CPU-bound
    # (the figures above say by how much), so it is printed, not asserted.
    assert ratios["cold"] >= 0.8, ratios
