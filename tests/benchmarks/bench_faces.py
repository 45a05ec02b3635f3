"""Faces: corpus quality figures and pipeline throughput from stored previews.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_faces.py -s
Prints detection recall on the identity folders, false detections on _no_faces, mean cosine
similarity of same/different identities, and images/s of the faces work the stage does per asset
(decode the stored preview JPEG, detect, embed every face), in one process. BENCH_FACE_ROUNDS
(default 3) repeats the corpus to steady the timing.
"""

import os
import time

import numpy as np
import pytest
from PIL import Image

from apps.people import backends, services
from tests.people.corpus_faces import FACES, measure, needs_faces_corpus, needs_ml, preview_of

ROUNDS = int(os.environ.get("BENCH_FACE_ROUNDS", "3"))

pytestmark = [needs_faces_corpus, needs_ml]


def test_faces_corpus_figures_and_throughput(tmp_path):
    print(f"\nbackend {backends.selected_backend()}: {', '.join(backends.get_backend().model_files())}")
    print(measure(services.find_faces).line())

    previews = []
    for n, path in enumerate(sorted(p for p in FACES.rglob("*") if p.is_file())):
        target = tmp_path / f"{n}.jpg"
        preview_of(path).save(target, "JPEG", quality=85)  # as the preview stage stores them
        previews.append(target)
    services.find_faces(np.asarray(Image.open(previews[0]).convert("RGB")))  # load the models first

    faces, start = 0, time.perf_counter()
    for _ in range(ROUNDS):
        for target in previews:
            with Image.open(target) as image:
                faces += len(services.find_faces(np.asarray(image.convert("RGB"))))
    elapsed = time.perf_counter() - start
    count = len(previews) * ROUNDS
    sizes = [Image.open(p).size for p in previews]
    print(
        f"faces pipeline: {count} previews (mean {np.mean([w for w, _ in sizes]):.0f}x"
        f"{np.mean([h for _, h in sizes]):.0f} px), {faces} faces in {elapsed:.1f} s = "
        f"{count / elapsed:.1f} images/s, {faces / elapsed:.1f} faces/s, one process"
    )
    assert faces > 0
