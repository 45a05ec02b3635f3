"""The "quality" pipeline stage: a 0-100 score per photo from its stored preview (measure.py)."""

from apps.assets.models import Asset
from apps.scanning.pipeline import Stage

from . import services


class QualityStage(Stage):
    """Listed after "faces": the score judges the largest face's focus, size and pose from the boxes
    and landmarks that stage stored. Model stages wait on the inference queue, so this one goes there
    too (`inference`), or it would run before the faces it reads; it needs numpy alone, so it applies
    with or without the ML stack. A task's whole batch is measured and written at once (run_batch)."""

    name = "quality"
    inference = True

    def applies_to(self, asset: Asset) -> bool:
        return services.applicable(asset)

    def run(self, asset: Asset) -> None:
        failure = services.measure_assets([asset]).get(asset.pk)
        if failure is not None:
            raise failure

    def run_batch(self, assets: list[Asset]) -> dict:
        return services.measure_assets(assets)
