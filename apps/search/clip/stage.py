"""The "clip" pipeline stage: embed each asset's stored preview for semantic search and "similar"."""

import logging

from apps.assets.models import Asset
from apps.scanning.pipeline import Stage

from . import embeddings, model

logger = logging.getLogger(__name__)


class EmbeddingStage(Stage):
    """Listed after the preview and faces stages. A task's whole batch is decoded and embedded at once
    (run_batch). Without a usable CLIP model the stage does not apply, so ingest still completes and
    `manage.py embed --missing` picks the assets up later; the reason is logged once per process."""

    name = "clip"
    inference = True  # on the model inference queue: a CLIP backlog never delays thumbnails
    _warned_reason: str | None = None

    def applies_to(self, asset: Asset) -> bool:
        if not embeddings.applicable(asset):
            return False
        reason = model.unavailable_reason(download=True)
        if reason is not None:
            if EmbeddingStage._warned_reason != reason:
                logger.warning("CLIP embeddings unavailable: %s", reason)
                EmbeddingStage._warned_reason = reason
            return False
        return True

    def run(self, asset: Asset) -> None:
        failure = embeddings.embed_assets([asset]).get(asset.pk)
        if failure is not None:
            raise failure

    def run_batch(self, assets: list[Asset]) -> dict:
        return embeddings.embed_assets(assets)
