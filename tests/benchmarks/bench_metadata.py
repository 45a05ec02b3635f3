"""Benchmark (opt-in): extract() throughput on 12 MP JPEGs and on the corpus mix, one process.

    .venv/bin/pytest tests/benchmarks/bench_metadata.py -s

Prints files/s with the reduced-scale decode (pHash + integrity check)
and without it (headers and tags only, what MetadataStage does since the preview decode gives the
pHash). Not part of the default run: timings need a quiet machine.
"""

import time
from pathlib import Path

from PIL import Image

from apps.assets.metadata import MetadataError, extract
from tests.assets.test_metadata import camera_exif
from tests.corpus import CORPUS

COUNT = 60
SIZE = (4000, 3000)  # 12 MP


def twelve_megapixel_jpegs(folder: Path) -> list[Path]:
    source = CORPUS / "jpeg_exif/exif-samples/gps/DSCN0010.jpg"
    if source.is_file():  # a real photo upscaled keeps camera-like entropy (and its EXIF)
        with Image.open(source) as image:
            base, exif = image.convert("RGB").resize(SIZE, Image.Resampling.BICUBIC), image.info["exif"]
    else:
        base = Image.merge("RGB", [Image.effect_noise(SIZE, 40 + 10 * band) for band in range(3)])
        exif = camera_exif().tobytes()
    paths = []
    for index in range(COUNT):
        path = folder / f"IMG_{index:04d}.jpg"
        base.rotate(index % 7).save(path, quality=90, exif=exif)
        paths.append(path)
    return paths


def rate(paths, **kwargs) -> float:
    started = time.perf_counter()
    for path in paths:
        info = extract(path, **kwargs)
        assert info.camera_make and info.width == SIZE[0]
    return len(paths) / (time.perf_counter() - started)


def test_throughput(tmp_path):
    paths = twelve_megapixel_jpegs(tmp_path)
    extract(paths[0])  # imports (scipy for the pHash) are a one-off cost, not per file
    with_decode, tags_only = rate(paths), rate(paths, decode=False)
    print(
        f"\n12 MP JPEG, 1 process: {with_decode:.1f} files/s with decode+pHash "
        f"({1000 / with_decode:.1f} ms/file), {tags_only:.0f} files/s tags only"
    )
    if (CORPUS / "README.md").is_file():
        files = [p for p in CORPUS.rglob("*") if p.is_file() and p.suffix not in (".json", ".tsv", ".md")]
        started, errors = time.perf_counter(), 0
        for path in files:
            try:
                extract(path)
            except MetadataError:
                errors += 1
        elapsed = time.perf_counter() - started
        print(
            f"corpus mix, 1 process: {len(files)} files in {elapsed:.1f} s = "
            f"{len(files) / elapsed:.1f} files/s ({errors} files ended with an error)"
        )
