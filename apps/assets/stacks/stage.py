"""Pipeline stage: automatic stacks, once the metadata (capture time, camera, pairing ids) is read."""

from apps.assets.models import Asset
from apps.scanning.pipeline import Stage

from .auto import KINDS, stack_automatically


class StackStage(Stage):
    """Joins a photo or video to the RAW+JPEG pair, burst or live photo it belongs to (see auto.py)."""

    name = "stack"

    def applies_to(self, asset: Asset) -> bool:
        return asset.kind in KINDS

    def run(self, asset: Asset) -> None:
        asset.refresh_from_db()  # the metadata stage just wrote the fields the rules read
        stack_automatically(asset)
