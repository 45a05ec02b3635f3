"""The "ocr" pipeline stage: read the text in each photo's stored preview for search and the detail view."""

import logging

from apps.assets.models import Asset
from apps.scanning.pipeline import Stage

from . import engine, reading

logger = logging.getLogger(__name__)


class TextStage(Stage):
    """Listed after the preview stages. Without the OCR package the stage does not apply, so ingest
    still completes and `manage.py run_stages --stage ocr` (or the Jobs page's "Run missing") picks
    the photos up once it is installed; the reason is logged once per process."""

    name = "ocr"
    inference = True  # on the model inference queue: an OCR backlog never delays thumbnails
    _warned = False

    def applies_to(self, asset: Asset) -> bool:
        if not reading.applicable(asset):
            return False
        reason = engine.unavailable_reason()
        if reason is not None:
            if not TextStage._warned:
                logger.warning("%s", reason)
                TextStage._warned = True
            return False
        return True

    def run(self, asset: Asset) -> None:
        failure = reading.read_assets([asset]).get(asset.pk)
        if failure is not None:
            raise failure

    def run_batch(self, assets: list[Asset]) -> dict:
        return reading.read_assets(assets)
