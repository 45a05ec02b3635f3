"""Image embeddings of assets: stored previews in, unit vectors out, one upsert per batch."""

from concurrent.futures import ThreadPoolExecutor

from django.db import transaction
from PIL import Image

from apps.assets.derivatives.storage import Derivative, existing
from apps.assets.models import Asset
from apps.scanning.services import rerun_stages

from ..models import AssetEmbedding
from . import model

# CLIP looks at 224 px: JPEG previews are decoded at the smallest 1/2^n scale still covering that
# (Pillow draft), a fraction of a full 1600 px decode, which is what bounds throughput on a CPU.
MODEL_INPUT = 224
DECODE_THREADS = 4  # Pillow releases the GIL while decoding


class NoPreview(RuntimeError):
    pass


def applicable(asset: Asset) -> bool:
    """Photos, and videos through their poster (both stored as the preview derivative)."""
    return asset.kind in (Asset.Kind.PHOTO, Asset.Kind.VIDEO)


def load_preview(asset_id) -> Image.Image:
    path = existing(asset_id, Derivative.PREVIEW)
    if path is None:
        raise NoPreview(f"asset {asset_id} has no preview yet (run the preview or poster stage first)")
    with Image.open(path) as image:
        image.draft("RGB", (MODEL_INPUT, MODEL_INPUT))
        return image.convert("RGB")


def _decode(asset):
    try:
        return load_preview(asset.pk)
    except Exception as exc:  # noqa: BLE001 - one unreadable preview fails its asset, not the batch
        return exc


def embed_assets(assets: list[Asset]) -> dict:
    """Embed and store these assets' previews; returns {asset pk: exception} for those that failed.

    Raises ClipUnavailable (or the model's error), failing the whole batch, when embedding itself fails.
    """
    assets = list(assets)
    if not assets:
        return {}
    with ThreadPoolExecutor(max_workers=min(DECODE_THREADS, len(assets))) as pool:
        decoded = list(pool.map(_decode, assets))
    failures = {a.pk: image for a, image in zip(assets, decoded) if isinstance(image, Exception)}
    ready = [(a, image) for a, image in zip(assets, decoded) if not isinstance(image, Exception)]
    if ready:
        vectors = model.embed_images([image for _, image in ready])
        store([a.pk for a, _ in ready], vectors, model.image_model_name())
    return failures


def store(asset_ids, vectors, model_name: str) -> None:
    """Insert or replace the embeddings of these assets in one statement."""
    rows = [AssetEmbedding(asset_id=pk, vector=vector, model=model_name) for pk, vector in zip(asset_ids, vectors)]
    with transaction.atomic():
        AssetEmbedding.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["asset"], update_fields=["vector", "model", "created"]
        )


def embeddable(assets=None):
    """Assets the clip stage applies to (photos and videos), present and not trashed."""
    assets = Asset.objects.all() if assets is None else assets
    return assets.filter(kind__in=[Asset.Kind.PHOTO, Asset.Kind.VIDEO], deleted_at__isnull=True).exclude(
        status=Asset.Status.MISSING
    )


def without_current_embedding(assets=None):
    """Embeddable assets with no embedding by the configured model (none yet, or one of another model)."""
    current = AssetEmbedding.objects.filter(model=model.image_model_name()).values("asset_id")
    return embeddable(assets).exclude(pk__in=current)


def queue_embeddings(everything: bool = False, inline: bool = False, on_progress=None) -> int:
    """Send assets through the clip stage: those without a current embedding, or (everything) all of them.

    Forced either way: an asset embedded by an earlier model has its stage done but needs a new vector.
    """
    assets = embeddable() if everything else without_current_embedding()
    return rerun_stages(assets, ["clip"], force=True, inline=inline, on_progress=on_progress)
