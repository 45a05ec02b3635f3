"""How far each embedding has got over the assets a user can see: CLIP, faces, search documents, photo text."""

from django_q.brokers import get_broker

from apps.assets.models import Asset
from apps.people import backends
from apps.scanning.models import AssetStage

from ..models import AssetEmbedding, AssetSearch, AssetText
from ..ocr import engine as ocr_engine
from . import embeddings, model


def _stage_counts(assets, stage: str) -> dict:
    rows = AssetStage.objects.filter(stage=stage, asset__in=assets)
    return {"failed": rows.filter(done_at__isnull=True).exclude(error="").count()}


def clip_coverage(user=None) -> dict:
    assets = embeddings.embeddable(Asset.objects.visible_to(user) if user is not None else None)
    name = model.image_model_name()
    total = assets.count()
    done = AssetEmbedding.objects.filter(asset__in=assets, model=name).count()
    reason = model.unavailable_reason() or model.unavailable_reason(text=True)
    return {
        "embedding": "clip", "model": name, "text_model": model.text_model_name(),
        "available": reason is None, "reason": reason or "",
        "total": total, "done": done, "missing": total - done,
        "other_model": AssetEmbedding.objects.filter(asset__in=assets).exclude(model=name).count(),
        **_stage_counts(assets, "clip"),
    }


def faces_coverage(user) -> dict:
    assets = embeddings.embeddable(Asset.objects.visible_to(user))
    reason, backend = backends.unavailable_reason(), backends.selected_backend()
    total = assets.count()
    done = AssetStage.objects.filter(stage="faces", asset__in=assets, done_at__isnull=False).count()
    return {"embedding": "faces", "model": backend, "available": reason is None, "reason": reason or "",
            "total": total, "done": done, "missing": total - done, "other_model": 0,
            **_stage_counts(assets, "faces")}


def search_coverage(user) -> dict:
    assets = Asset.objects.visible_to(user).alive().exclude(status=Asset.Status.MISSING)
    total = assets.count()
    done = AssetSearch.objects.filter(asset__in=assets).count()
    return {"embedding": "search", "model": "postgres full text", "available": True, "reason": "",
            "total": total, "done": done, "missing": total - done, "other_model": 0,
            **_stage_counts(assets, "search")}


def ocr_coverage(user) -> dict:
    assets = Asset.objects.visible_to(user).alive().filter(kind=Asset.Kind.PHOTO).exclude(status=Asset.Status.MISSING)
    reason = ocr_engine.unavailable_reason()
    total = assets.count()
    done = AssetText.objects.filter(asset__in=assets).count()
    return {"embedding": "ocr", "model": ocr_engine.MODEL, "available": reason is None, "reason": reason or "",
            "total": total, "done": done, "missing": total - done, "other_model": 0,
            **_stage_counts(assets, "ocr")}


def queued_tasks() -> int | None:
    """Tasks waiting for a worker (every kind: the broker does not say which stage a task is for)."""
    try:
        return get_broker().queue_size()
    except Exception:  # noqa: BLE001 - a broker that cannot answer must not break the page
        return None


def coverage(user) -> dict:
    return {
        "embeddings": [clip_coverage(user), faces_coverage(user), search_coverage(user), ocr_coverage(user)],
        "queued_tasks": queued_tasks(),
    }
