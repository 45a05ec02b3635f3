"""Model stages wait on their own queue (mediahub-ml): a long face or CLIP backlog never delays the
quick stages (thumbnails) of a new file."""

import os

import pytest
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from apps.assets.models import Asset
from apps.core.queue import ML, SHORT, waiting
from apps.scanning import recovery, services, tasks
from apps.scanning.models import AssetStage
from apps.scanning.pipeline import died_text
from mediahub.config import ML_QUEUE
from tests.factories import AssetFactory

from .conftest import STAGES
from .subprocess_env import child_env, qcluster
from .test_crash import wait_for

QUICK, MODEL = f"{STAGES}.EveryAssetStage", f"{STAGES}.ModelStage"


def queued_on(cluster: str) -> list[dict]:
    return [SignedPackage.loads(row.payload) for row in OrmQ.objects.filter(key=cluster)]


@pytest.mark.django_db
def test_a_default_queue_batch_runs_quick_stages_and_hands_model_stages_to_the_inference_queue(
    library, settings, stage_log
):
    settings.MEDIAHUB_PIPELINE_STAGES = [QUICK, MODEL]
    asset = AssetFactory(library=library, status=Asset.Status.PENDING)

    result = tasks.run_stages_task([str(asset.pk)])

    assert result["deferred_inference"] == 1
    assert AssetStage.objects.get(asset=asset, stage="test-every").done_at is not None
    assert not AssetStage.objects.filter(asset=asset, stage="test-model").exists()
    (ml_task,) = queued_on(ML_QUEUE)
    assert ml_task["func"] == "apps.scanning.tasks.run_stages_task"
    assert ml_task["args"] == ([str(asset.pk)], ["test-model"], False, False, True)

    assert tasks.run_stages_task(*ml_task["args"])["ran"] == 1  # what the inference worker does
    assert AssetStage.objects.get(asset=asset, stage="test-model").done_at is not None
    asset.refresh_from_db()
    assert asset.status == Asset.Status.READY


@pytest.mark.django_db
def test_face_detection_batches_are_queued_on_the_inference_queue(settings):
    from apps.core.queue import enqueue

    enqueue("apps.people.tasks.detect_faces_batch", 1, ["a"], False, key="faces-detect-1-0", group="faces")
    assert waiting(ML) == 1 and waiting(SHORT) == 0


@pytest.mark.django_db
def test_a_model_stage_whose_worker_died_is_requeued_straight_onto_the_inference_queue(library, settings):
    settings.MEDIAHUB_PIPELINE_STAGES = [QUICK, MODEL]
    asset = AssetFactory(library=library, status=Asset.Status.PENDING)
    AssetStage.objects.create(asset=asset, stage="test-every", done_at=asset.created)
    AssetStage.objects.create(asset=asset, stage="test-model", attempts=1, error=died_text("test-model", 1))

    retried, _ = recovery.requeue_died()

    assert retried == {asset.pk}
    (ml_task,) = queued_on(ML_QUEUE)
    assert ml_task["args"][:2] == ([str(asset.pk)], ["test-model"]) and ml_task["args"][4] is True
    assert waiting(SHORT) == 0


@pytest.mark.django_db(transaction=True)
def test_a_new_files_thumbnail_stage_completes_while_a_long_model_backlog_waits(
    library, tmp_path, stage_log, settings
):
    """Real workers: the inference worker is held on the first of a backlog of model batches; a new
    file's quick stage is done by the default queue's worker all the same."""
    stages = [QUICK, f"{STAGES}.HoldOnceModelStage"]
    settings.MEDIAHUB_PIPELINE_STAGES = stages
    settings.MEDIAHUB_STAGE_BATCH_SIZE = 1
    os.mkfifo(tmp_path / "hold.fifo")
    env = child_env(
        tmp_path / "worker-data",
        MEDIAHUB_PIPELINE_STAGES=",".join(stages),
        MEDIAHUB_STAGE_BATCH_SIZE=1,
        MEDIAHUB_WORKERS=1,
        MEDIAHUB_ML_WORKERS=1,
        STAGE_LOG=stage_log,
        HOLD_MODEL_REACHED=tmp_path / "held",
        HOLD_FIFO=tmp_path / "hold.fifo",
    )
    backlog = [AssetFactory(library=library, path=f"old/hold-{n}.jpg", status="pending") for n in range(6)]
    with qcluster(env, log=tmp_path / "short.log") as short, qcluster(env, ml=True, log=tmp_path / "ml.log") as ml:
        services.enqueue_stages([asset.pk for asset in backlog])
        wait_for(lambda: os.path.exists(tmp_path / "held-0"), ml, "the inference worker to hold a batch")
        ml_tasks = OrmQ.objects.filter(key=ML_QUEUE)
        wait_for(lambda: ml_tasks.count() == len(backlog), short, "the model backlog to be queued")

        new = AssetFactory(library=library, path="new/IMG_new.jpg", status="pending")
        services.enqueue_stages([new.pk])
        quick_done = AssetStage.objects.filter(asset=new, stage="test-every", done_at__isnull=False)
        # The held batch never moves on by itself, so the quick stage finishing at all is the proof; the
        # default timeout leaves room for a loaded machine (30 s once ran out at load 15).
        wait_for(quick_done.exists, short, "the new file's quick stage")

        # The backlog has not moved (one batch held, the rest waiting), the new file's model batch waits
        # behind it: its quick stage did not.
        assert ml_tasks.count() == len(backlog) + 1
        assert not AssetStage.objects.filter(stage="test-hold-model", done_at__isnull=False).exists()
        assert short.poll() is None and ml.poll() is None
