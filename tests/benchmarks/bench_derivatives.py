"""Thumbnail + preview throughput on 12 MP JPEGs (with and without draft()), and transcode speed.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_derivatives.py -s
BENCH_PHOTOS (default 50) sets the number of synthetic 4000x3000 photos (fixed seed).
Prints images/s for one process and for one process per core, each with and without the
reduced-scale JPEG decode, and the transcode speed of 1080p MPEG-4 Part 2 and HEVC clips.
"""

import os
import shutil
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from apps.assets.derivatives import images, video
from tests.assets.media_samples import exif_with_orientation, ffmpeg

PHOTOS = int(os.environ.get("BENCH_PHOTOS", "50"))
CORES = os.cpu_count() or 1


def synthetic_photo(path: Path, seed: int) -> None:
    """Smooth shapes plus sensor-like noise: compresses like a camera JPEG (~3-5 MB at q90), not like flat colour."""
    import random

    rng = random.Random(seed)
    small = Image.frombytes("RGB", (40, 30), bytes(rng.randrange(256) for _ in range(40 * 30 * 3)))
    base = small.resize((4000, 3000), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((4000, 3000), 24).convert("RGB")
    Image.blend(base, noise, 0.12).save(path, quality=90, exif=exif_with_orientation(1 + seed % 8))


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench-photos")
    paths = []
    for n in range(PHOTOS):
        path = folder / f"IMG_{n:04d}.jpg"
        synthetic_photo(path, n)
        paths.append(path)
    size = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
    print(f"\n{len(paths)} synthetic 4000x3000 JPEGs, {size:.1f} MB each on average")
    return paths


def _one(args):
    path, use_draft = args
    images.make_photo_derivatives(path, uuid.uuid4(), use_draft=use_draft)


def _rate(paths, use_draft: bool, processes: int) -> float:
    jobs = [(p, use_draft) for p in paths]
    start = time.perf_counter()
    if processes == 1:
        for job in jobs:
            _one(job)
    else:
        with ProcessPoolExecutor(processes) as pool:
            list(pool.map(_one, jobs, chunksize=2))
    return len(paths) / (time.perf_counter() - start)


def test_thumbnail_and_preview_throughput(photos):
    _one((photos[0], True))  # warm imports and caches
    results = {}
    for processes in sorted({1, CORES}):
        for use_draft in (True, False):
            results[(processes, use_draft)] = rate = _rate(photos, use_draft, processes)
            label = "draft()" if use_draft else "full decode"
            print(
                f"  {processes} process(es), {label:11}: {rate:6.2f} images/s ({1000 / rate * processes:.0f} ms per image)"
            )
    for processes in sorted({1, CORES}):
        speedup = results[(processes, True)] / results[(processes, False)]
        print(f"  draft() speed-up with {processes} process(es): x{speedup:.2f}")
    assert results[(1, True)] > results[(1, False)]


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
@pytest.mark.parametrize("codec, seconds", [("mpeg4", 10), ("libx265", 5)])
def test_transcode_speed(tmp_path, codec, seconds):
    source = tmp_path / f"source-{codec}.mkv"
    extra = (
        ["-preset", "ultrafast", "-x265-params", "log-level=error"] if codec == "libx265" else ["-q:v", "4"]
    )
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=size=1920x1080:rate=30:duration={seconds}",
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=440:duration={seconds}",
        "-c:v",
        codec,
        *extra,
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "mp3",
        str(source),
    )

    start = time.perf_counter()
    video.transcode(source, tmp_path / "out.mp4", seconds)
    elapsed = time.perf_counter() - start

    info = video.probe(tmp_path / "out.mp4")
    print(
        f"\n  transcode 1080p30 {codec} -> H.264/AAC ({video.TRANSCODE_PRESET}): {seconds} s of video in "
        f"{elapsed:.1f} s = x{seconds / elapsed:.2f} real time, {30 * seconds / elapsed:.0f} fps"
    )
    assert info.video_codec == "h264" and info.audio_codec == "aac"
