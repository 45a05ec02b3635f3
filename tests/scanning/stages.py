"""Small real pipeline stages for the tests, registered through MEDIAHUB_PIPELINE_STAGES.

They append "stage asset_id" lines to $STAGE_LOG (a real file), so a test can count how often
each stage really ran, also in child processes.
"""

import os
from pathlib import Path

from PIL import Image

from apps.scanning.fsnames import decode_path
from apps.scanning.pipeline import Stage


def _log(stage, asset):
    with open(os.environ["STAGE_LOG"], "a") as fh:
        fh.write(f"{stage.name} {asset.pk}\n")


def runs(log_file) -> list[tuple[str, str]]:
    path = Path(log_file)
    if not path.exists():
        return []
    return [tuple(line.split()) for line in path.read_text().splitlines()]


class SizeStage(Stage):
    """Reads the real image and stores its size, like the metadata stage will."""

    name = "test-size"

    def applies_to(self, asset):
        return asset.kind == "photo"

    def run(self, asset):
        _log(self, asset)
        with Image.open(os.path.join(asset.library.root_path, decode_path(asset.path))) as image:
            asset.width, asset.height = image.size
        asset.save(update_fields=["width", "height"])


class EveryAssetStage(Stage):
    name = "test-every"

    def run(self, asset):
        _log(self, asset)


class FailOnBrokenStage(Stage):
    """Fails on files whose name contains 'broken'."""

    name = "test-fail"

    def run(self, asset):
        _log(self, asset)
        if "broken" in asset.filename:
            raise ValueError(f"cannot read {asset.filename}")


class GateStage(Stage):
    """Blocks forever on its first asset after telling the test (via a file) that it got there.

    Lets a test kill a scan at a known point of its work without sleeping.
    """

    name = "test-gate"

    def run(self, asset):
        Path(os.environ["GATE_REACHED"]).write_text(str(asset.pk))
        with open(os.environ["GATE_FIFO"], "rb") as fifo:  # blocks: nobody ever writes
            fifo.read()
