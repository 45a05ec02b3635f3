import logging

import pytest
from django.test import override_settings

from apps.assets.models import Asset
from apps.scanning import pipeline
from apps.scanning.models import AssetStage
from apps.scanning.pipeline import run_stages
from tests.factories import AssetFactory

from .conftest import STAGES, make_jpeg
from .stages import runs

PIPELINE = override_settings(
    MEDIAHUB_PIPELINE_STAGES=[
        f"{STAGES}.SizeStage",
        f"{STAGES}.EveryAssetStage",
        f"{STAGES}.FailOnBrokenStage",
    ]
)


@pytest.fixture
def photos(library, library_root):
    assets = []
    for i, name in enumerate(["one.jpg", "two.jpg", "broken.jpg"]):
        make_jpeg(str(library_root / name), i)
        assets.append(AssetFactory(library=library, path=name, filename=name, status=Asset.Status.PENDING))
    return assets


def test_a_stage_that_cannot_be_imported_is_skipped_with_a_warning(caplog):
    stages = ["apps.nowhere.Stage", f"{STAGES}.EveryAssetStage"]
    with override_settings(MEDIAHUB_PIPELINE_STAGES=stages), caplog.at_level(logging.WARNING):
        names = [s.name for s in pipeline.registered_stages()]
    assert names == ["test-every"]
    assert "apps.nowhere.Stage" in caplog.text


@PIPELINE
@pytest.mark.django_db
def test_stages_run_in_order_record_their_outcome_and_set_the_status(photos, stage_log):
    report = run_stages([a.pk for a in photos])
    assert report.assets == 3 and report.failed == 1
    one, _, broken = (Asset.objects.get(pk=a.pk) for a in photos)
    assert (one.status, one.width, one.height) == ("ready", 16, 12)
    assert broken.status == "error" and "test-fail: ValueError: cannot read broken.jpg" in broken.last_error
    assert [r for r in runs(stage_log) if r[1] == str(one.pk)] == [
        ("test-size", str(one.pk)),
        ("test-every", str(one.pk)),
        ("test-fail", str(one.pk)),
    ]
    rows = {(r.asset_id, r.stage): r for r in AssetStage.objects.all()}
    assert len(rows) == 9
    assert rows[(broken.pk, "test-fail")].done_at is None and rows[(broken.pk, "test-fail")].attempts == 1
    assert rows[(one.pk, "test-fail")].done_at is not None and rows[(one.pk, "test-fail")].error == ""


@PIPELINE
@pytest.mark.django_db
def test_done_stages_are_not_run_again_failed_ones_are_retried_up_to_the_limit(photos, stage_log):
    ids = [a.pk for a in photos]
    run_stages(ids)
    first = len(runs(stage_log))
    run_stages(ids)  # a doubled task
    assert runs(stage_log)[first:] == [("test-fail", str(photos[2].pk))]
    for _ in range(5):
        run_stages(ids)
    assert AssetStage.objects.get(asset=photos[2], stage="test-fail").attempts == pipeline.MAX_ATTEMPTS
    run_stages(ids, stage_names=["test-every"], force=True)
    assert runs(stage_log)[-3:] == [("test-every", str(i)) for i in ids]


@PIPELINE
@pytest.mark.django_db
def test_applies_to_limits_a_stage_and_unknown_stage_names_are_refused(library, stage_log):
    video = AssetFactory(library=library, kind="video", path="v.mp4", status="pending")
    run_stages([video.pk])
    assert {r[0] for r in runs(stage_log)} == {"test-every", "test-fail"}
    assert Asset.objects.get(pk=video.pk).status == "ready"
    with pytest.raises(ValueError, match="unknown pipeline stage"):
        run_stages([video.pk], stage_names=["nope"])


@PIPELINE
@pytest.mark.django_db
def test_missing_assets_and_unknown_ids_are_skipped(library, stage_log):
    gone = AssetFactory(library=library, status="missing")
    report = run_stages([gone.pk, "00000000-0000-0000-0000-000000000000"])
    assert report.assets == 0 and runs(stage_log) == []


@override_settings(MEDIAHUB_PIPELINE_STAGES=[f"{STAGES}.SizeStage"])
@pytest.mark.django_db
def test_a_crashing_asset_does_not_stop_the_batch(library, library_root, stage_log):
    (library_root / "garbage.jpg").write_bytes(b"not a jpeg")
    make_jpeg(str(library_root / "fine.jpg"))
    bad = AssetFactory(library=library, path="garbage.jpg", filename="garbage.jpg", status="pending")
    good = AssetFactory(library=library, path="fine.jpg", filename="fine.jpg", status="pending")
    run_stages([bad.pk, good.pk])
    assert Asset.objects.get(pk=bad.pk).status == "error"
    assert Asset.objects.get(pk=good.pk).status == "ready"


@override_settings(MEDIAHUB_PIPELINE_STAGES=[f"{STAGES}.EveryAssetStage"])
@pytest.mark.django_db
def test_an_asset_another_worker_is_processing_is_skipped_not_run_twice(library, stage_log):
    import psycopg
    from django.db import connection

    busy, free = (
        AssetFactory(library=library, status="pending"),
        AssetFactory(library=library, status="pending"),
    )
    params = connection.get_connection_params()
    with psycopg.connect(
        host=params["host"], port=params["port"], user=params["user"], dbname=params["dbname"]
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [pipeline._lock_key(busy.pk)])  # the other worker
        report = run_stages([busy.pk, free.pk])
    assert (report.assets, report.skipped_busy) == (1, 1)
    assert runs(stage_log) == [("test-every", str(free.pk))]
    assert Asset.objects.get(pk=busy.pk).status == "pending"
