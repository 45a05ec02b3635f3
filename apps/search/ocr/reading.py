"""Reading the text of assets: stored previews in, AssetText rows and fresh search documents out."""

from django.conf import settings
from django.db import transaction
from PIL import Image

from apps.assets.derivatives.storage import Derivative, existing
from apps.assets.models import Asset
from apps.core.errors import Unavailable

from ..indexing import index_assets
from ..models import AssetText
from . import engine


class NoPreview(RuntimeError):
    pass


def applicable(asset: Asset) -> bool:
    """Photos only: a video's poster frame seldom holds the text a search would be after."""
    return asset.kind == Asset.Kind.PHOTO


def load_preview(asset_id, size: int | None = None) -> Image.Image:
    """The stored preview as RGB, at most `size` (MEDIAHUB_OCR_SIZE) pixels on its long side. JPEG
    previews decode at a reduced scale (Pillow draft) before the exact resize: never the original."""
    path = existing(asset_id, Derivative.PREVIEW)
    if path is None:
        raise NoPreview(f"asset {asset_id} has no preview yet (run the preview stage first)")
    size = size or settings.MEDIAHUB_OCR_SIZE
    with Image.open(path) as image:
        image.draft("RGB", (size, size))
        image = image.convert("RGB")
    image.thumbnail((size, size), Image.Resampling.LANCZOS)
    return image


def read_assets(assets: list[Asset]) -> dict:
    """Read and store the text of these assets' previews; returns {asset pk: exception} for those
    that failed. The engine is loaded once per process (OcrUnavailable fails the whole batch).

    The search stage may have run before this one (model stages wait on their own queue), so the
    assets whose text changed get their search document rewritten here."""
    failures, read = {}, []
    for asset in assets:
        try:
            read.append((asset, engine.read(load_preview(asset.pk))))
        except engine.OcrUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - one unreadable preview fails its asset, not the batch
            failures[asset.pk] = exc
    if read:
        store(read)
    return failures


def store(read: list) -> None:
    """Upsert [(asset, [Line])] in one statement; reindex the assets that have or had text."""
    rows = [AssetText(asset=asset, text="\n".join(line.text for line in lines),
                      lines=[line.as_json() for line in lines], engine=engine.MODEL) for asset, lines in read]
    ids = [asset.pk for asset, _ in read]
    with transaction.atomic():
        had_text = set(AssetText.objects.filter(asset_id__in=ids).exclude(text="").values_list("asset_id", flat=True))
        AssetText.objects.bulk_create(rows, update_conflicts=True, unique_fields=["asset"],
                                      update_fields=["text", "lines", "engine", "read_at"])
        changed = [asset for asset, lines in read if lines or asset.pk in had_text]
        if changed:
            index_assets(changed)


def text_for(asset: Asset) -> AssetText:
    """The text read in this photo (the caller checked it is visible). A photo not read yet answers an
    unsaved, empty row; when it cannot be read here either, Unavailable says why, naming the model."""
    found = AssetText.objects.filter(asset=asset).first()
    if found is not None:
        return found
    reason = engine.unavailable_reason()
    if reason is not None and applicable(asset):
        raise Unavailable(reason)
    return AssetText(asset=asset, engine="", read_at=None)
