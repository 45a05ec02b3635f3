"""Face detection for assets, and face crops. The stage, tasks, commands and views call these."""

import logging
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction
from PIL import Image

from apps.assets.derivatives.storage import Derivative, existing
from apps.assets.models import Asset
from apps.core.errors import NotFound

from .. import backends
from ..models import Face
from . import face_settings
from .refresh import refresh_face_counts

logger = logging.getLogger(__name__)

INHERIT_IOU = 0.5  # a new box overlapping an old one this much is the same face: keep its person


class NoPreview(NotFound):
    """The preview stage has not run for this asset (yet): nothing to find faces in or crop."""


def faces_applicable(asset: Asset) -> bool:
    """Photos and video posters, minus excluded extensions (no I/O)."""
    if asset.kind not in (Asset.Kind.PHOTO, Asset.Kind.VIDEO):
        return False
    excluded = {e.lower().lstrip(".") for e in face_settings.current().excluded_extensions}
    return Path(asset.filename).suffix.lower().lstrip(".") not in excluded


def load_preview(asset_id) -> np.ndarray:
    """The stored preview as RGB uint8: upright, reduced, already paid for by the preview stage."""
    path = existing(asset_id, Derivative.PREVIEW)
    if path is None:
        raise NoPreview(f"asset {asset_id} has no preview yet (run the preview stage first)")
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def iou(a, b) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = min(ax + aw, bx + bw) - max(ax, bx)
    h = min(ay + ah, by + bh) - max(ay, by)
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / float(aw * ah + bw * bh - inter)


def find_faces(
    image: np.ndarray, backend=None, floors=None
) -> list[tuple[backends.DetectedFace, np.ndarray]]:
    """Detected faces above the size and score floors, each with its embedding.

    `floors` (anything with min_size and min_score, e.g. face_settings.current()) defaults to the
    environment's settings, so measuring the detector needs no database."""
    backend = backend or backends.get_backend()
    min_size = floors.min_size if floors else settings.MEDIAHUB_FACE_MIN_SIZE
    min_score = floors.min_score if floors else settings.MEDIAHUB_FACE_MIN_SCORE
    kept = [
        f for f in backend.detect(image) if f.score >= min_score and min(f.box[2], f.box[3]) >= min_size
    ]
    return [(face, backend.embed(image, face)) for face in kept]


def detect_faces(asset: Asset) -> list[Face]:
    """Replace the asset's faces with a fresh detection, keeping what users decided.

    A new face whose box overlaps an old one (IoU > 0.5) inherits its person and assigned_by; a
    user-assigned old face that no new box matches is kept as it is rather than lost.
    """
    backend = backends.get_backend()
    image = load_preview(asset.pk)
    found = find_faces(image, backend, floors=face_settings.current())
    height, width = image.shape[:2]
    with transaction.atomic():
        old = list(Face.objects.select_for_update().filter(asset=asset))
        new_faces, matched = [], set()
        for detected, vector in found:
            face = _face_row(asset, detected, vector, backend, width, height)
            best = max(old, key=lambda o: iou(o.box, face.box), default=None)
            if best is not None and best.pk not in matched and iou(best.box, face.box) > INHERIT_IOU:
                matched.add(best.pk)
                face.person_id, face.assigned_by = best.person_id, best.assigned_by
            new_faces.append(face)
        kept_user_faces = [o for o in old if o.assigned_by == Face.AssignedBy.USER and o.pk not in matched]
        Face.objects.filter(asset=asset).exclude(pk__in=[o.pk for o in kept_user_faces]).delete()
        Face.objects.bulk_create(new_faces)
        touched = {f.person_id for f in old + new_faces if f.person_id}
        refresh_face_counts(touched)
    return new_faces


def _face_row(asset, detected, vector, backend, width, height) -> Face:
    x, y, w, h = detected.box
    # YuNet boxes may start a few pixels outside the image; the columns hold what lies inside.
    x0, y0 = max(0, x), max(0, y)
    box = (x0, y0, max(1, min(width, x + w) - x0), max(1, min(height, y + h) - y0))
    vector_field = "embedding" if backend.dimension == 128 else "embedding_512"
    return Face(
        asset=asset,
        x=box[0],
        y=box[1],
        width=box[2],
        height=box[3],
        preview_width=width,
        preview_height=height,
        landmarks=[[round(px, 1), round(py, 1)] for px, py in detected.landmarks],
        score=round(detected.score, 4),
        backend=backend.name,
        **{vector_field: vector.tolist()},
    )


def face_crop(face: Face, size: int) -> Image.Image:
    """A square crop around the face (with some margin) from the stored preview, size x size px."""
    path = existing(face.asset_id, Derivative.PREVIEW)
    if path is None:
        raise NoPreview(f"asset {face.asset_id} has no preview")
    with Image.open(path) as image:
        image = image.convert("RGB")
        # Scale in case the preview was remade at another size since detection.
        sx, sy = image.width / face.preview_width, image.height / face.preview_height
        cx, cy = (face.x + face.width / 2) * sx, (face.y + face.height / 2) * sy
        half = max(face.width * sx, face.height * sy) * 0.75  # the face plus hair and chin
        crop = image.crop((int(cx - half), int(cy - half), int(cx + half), int(cy + half)))
        return crop.resize((size, size), Image.Resampling.LANCZOS)
