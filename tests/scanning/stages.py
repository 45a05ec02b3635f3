"""Small real pipeline stages for the tests, registered through MEDIAHUB_PIPELINE_STAGES.

They append "stage asset_id" lines to $STAGE_LOG (a real file), so a test can count how often
each stage really ran, also in child processes.
"""

import os
import signal
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


class HoldOnceStage(Stage):
    """Blocks for ever on the first $HOLD_COUNT (default 1) assets it meets whose file name contains
    $HOLD_MATCH (default 'hold'), after telling the test with a marker file each ($HOLD_REACHED-0,
    -1, ...): workers busy at a known point. Once every marker exists it holds nothing, so a
    restarted worker passes."""

    name = "test-hold"
    marker_env = "HOLD_REACHED"

    def run(self, asset):
        _log(self, asset)
        if os.environ.get("HOLD_MATCH", "hold") not in asset.filename:
            return
        for slot in range(int(os.environ.get("HOLD_COUNT", "1"))):
            path = f"{os.environ[self.marker_env]}-{slot}"
            try:
                marker = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                continue
            os.write(marker, str(asset.pk).encode())
            os.close(marker)
            with open(os.environ["HOLD_FIFO"], "rb") as fifo:  # blocks: nobody ever writes
                fifo.read()
            return


class HoldOnceLongStage(HoldOnceStage):
    """HoldOnceStage as a long-running stage: it holds the long queue's worker."""

    name = "test-hold-long"
    marker_env = "HOLD_LONG_REACHED"
    long_running = True


class KillWorkerStage(Stage):
    """What the OOM killer does to a worker decoding a huge panorama: the process dies, on every
    attempt, on files whose name contains 'oom'."""

    name = "test-kill"

    def run(self, asset):
        _log(self, asset)
        if "oom" in asset.filename:
            os.kill(os.getpid(), signal.SIGKILL)


class DieStage(Stage):
    """In-process stand-in for a worker killed mid-stage, on files whose name contains 'die': the
    stage ends by SystemExit (as a task timeout does), so nothing after its start is recorded."""

    name = "test-die"

    def run(self, asset):
        _log(self, asset)
        if "die" in asset.filename:
            raise SystemExit("killed")


class RecordStartStage(Stage):
    """Logs its own stage row as another process would read it while the stage runs."""

    name = "test-record"

    def run(self, asset):
        from apps.scanning.models import AssetStage

        row = AssetStage.objects.get(asset=asset, stage=self.name)
        with open(os.environ["STAGE_LOG"], "a") as fh:
            fh.write(f"{self.name} {asset.pk} {row.attempts} {row.error.replace(' ', '_')}\n")


class LongStage(Stage):
    """A stage that would take minutes: it runs in a task of its own on the long queue."""

    name = "test-long"
    long_running = True

    def run(self, asset):
        _log(self, asset)


class HoldOnceModelStage(HoldOnceStage):
    """HoldOnceStage as a model stage: it holds the inference queue's worker."""

    name = "test-hold-model"
    marker_env = "HOLD_MODEL_REACHED"
    inference = True


class ModelStage(Stage):
    """A model stage (faces, CLIP): run by a task of its own on the inference queue."""

    name = "test-model"
    inference = True

    def run(self, asset):
        _log(self, asset)
