"""Quality scores for assets: measure their stored previews and write the results in bulk.

The "quality" stage, `manage.py run_stages --stage quality` and the Jobs page's buttons come here.
"""

import logging

from django.db import transaction

from apps.people.models import Face

from ..derivatives.storage import Derivative, existing
from ..models import Asset, AssetQuality
from . import measure

logger = logging.getLogger(__name__)


class NoPreview(Exception):
    """The preview stage has not made this asset's preview (yet)."""


def applicable(asset: Asset) -> bool:
    """Photos (no I/O): a video's poster is one frame, not a shot anyone culls."""
    return asset.kind == Asset.Kind.PHOTO


def face_boxes(asset_ids) -> dict:
    """{asset id: [FaceBox]} of the faces the faces stage found, in one query."""
    boxes = {}
    rows = Face.objects.filter(asset_id__in=asset_ids).values_list(
        "asset_id", "x", "y", "width", "height", "landmarks", "preview_width", "preview_height")
    for asset_id, x, y, width, height, landmarks, image_width, image_height in rows:
        if image_width and image_height:
            boxes.setdefault(asset_id, []).append(
                measure.FaceBox(x, y, width, height, landmarks or [], image_width, image_height))
    return boxes


def measure_asset(asset_id, faces=()) -> measure.Measures:
    path = existing(asset_id, Derivative.PREVIEW)
    if path is None:
        raise NoPreview(f"asset {asset_id} has no preview yet (run the preview stage first)")
    return measure.measure(measure.load_grey(path), list(faces))


def measure_assets(assets: list[Asset]) -> dict:
    """Measure and store each asset's quality; {asset pk: exception} for those that failed.

    One query for the faces, one upsert for the measures and one UPDATE for the scores, whatever the
    batch size.
    """
    faces = face_boxes([asset.pk for asset in assets])
    results, failures = {}, {}
    for asset in assets:
        try:
            results[asset.pk] = measure_asset(asset.pk, faces.get(asset.pk, ()))
        except Exception as exc:  # noqa: BLE001 - a broken preview fails its asset, not the batch
            failures[asset.pk] = exc
    if results:
        store(results)
    return failures


def store(results: dict) -> None:
    rows = [
        AssetQuality(
            asset_id=pk, sharpness=m.sharpness, face_sharpness=m.face_sharpness, highlights=m.highlights,
            shadows=m.shadows, noise=m.noise, faces=m.faces, face_size=m.face_size, frontal=m.frontal,
            blurry=m.blurry, badly_exposed=m.badly_exposed, version=measure.VERSION,
        )
        for pk, m in results.items()
    ]
    fields = [f.name for f in AssetQuality._meta.concrete_fields if f.name != "asset"]
    scored = [Asset(pk=pk, quality=m.score) for pk, m in results.items()]
    with transaction.atomic():
        AssetQuality.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["asset"], update_fields=fields)
        Asset.objects.bulk_update(scored, ["quality"])
