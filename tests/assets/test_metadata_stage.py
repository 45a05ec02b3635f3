"""MetadataStage writes extraction results on the Asset, and errors reach the pipeline's records."""

from datetime import UTC, datetime

import pytest

from apps.assets.metadata.stage import MetadataStage, json_safe
from apps.assets.metadata.types import MetadataError
from apps.assets.models import Asset, AssetMetadata
from apps.scanning.models import AssetStage
from apps.scanning.pipeline import Stage, run_stages
from tests.assets.test_metadata import camera_exif, gradient
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def photo_asset(library, library_root, name="IMG_1.jpg", **save_args):
    gradient((80, 60)).save(library_root / name, **save_args)
    return AssetFactory(
        library=library, path=name, kind=Asset.Kind.PHOTO, taken_at=None, status=Asset.Status.PENDING, mime=""
    )


def test_stage_interface():
    stage = MetadataStage()
    assert isinstance(stage, Stage) and stage.name == "metadata"
    assert stage.applies_to(Asset(kind=Asset.Kind.VIDEO))
    assert not stage.applies_to(Asset(kind=Asset.Kind.OTHER))


def test_run_fills_the_asset_and_its_raw_tags(library, library_root):
    asset = photo_asset(library, library_root, exif=camera_exif(orientation=6))
    MetadataStage().run(asset)
    asset.refresh_from_db()
    assert (asset.mime, asset.width, asset.height, asset.orientation) == ("image/jpeg", 60, 80, 6)
    assert (asset.camera_make, asset.camera_model, asset.iso) == ("Canon", "Canon EOS R5", 400)
    assert asset.taken_at == datetime(2024, 3, 10, 12, 15, 16, tzinfo=UTC)
    assert (asset.taken_at_offset, asset.taken_at_source) == (120, "exif")
    assert asset.latitude < 0 and asset.longitude < 0 and asset.altitude == pytest.approx(-12.5)
    assert asset.phash is None, "tags only: the pHash comes from the preview's decode"
    tags = AssetMetadata.objects.get(asset=asset).tags
    assert tags["EXIF"]["Image Model"] == "Canon EOS R5"
    assert tags["MediaHub"]["TakenAtSource"] == "exif"


def test_rerun_updates_instead_of_duplicating(library, library_root):
    asset = photo_asset(library, library_root, exif=camera_exif())
    MetadataStage().run(asset)
    MetadataStage().run(asset)
    assert AssetMetadata.objects.filter(asset=asset).count() == 1


def test_corrupt_pixels_fail_at_the_preview_and_keep_what_was_readable(library, library_root):
    gradient((640, 480)).save(library_root / "whole.jpg", exif=camera_exif(), quality=95)
    data = (library_root / "whole.jpg").read_bytes()
    (library_root / "cut.jpg").write_bytes(data[: len(data) // 2])
    asset = AssetFactory(library=library, path="cut.jpg", kind=Asset.Kind.PHOTO, taken_at=None)
    run_stages([asset.pk])
    asset.refresh_from_db()
    assert asset.camera_model == "Canon EOS R5"
    assert asset.status == Asset.Status.ERROR
    assert asset.last_error.split(": ")[0] in ("thumbnail", "preview") and "truncated" in asset.last_error


def test_one_decode_gives_the_preview_and_the_phash(library, library_root):
    asset = photo_asset(library, library_root, exif=camera_exif(orientation=6))
    run_stages([asset.pk])
    asset.refresh_from_db()
    assert asset.status == Asset.Status.READY and asset.phash is not None
    MetadataStage().run(asset)  # a later tags-only re-run keeps it
    asset.refresh_from_db()
    assert asset.phash is not None


def test_pipeline_records_ready_and_error(library, library_root, settings):
    settings.MEDIAHUB_PIPELINE_STAGES = ["apps.assets.metadata.stage.MetadataStage"]
    good = photo_asset(library, library_root, "good.jpg", exif=camera_exif())
    (library_root / "bad.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 40)
    bad = AssetFactory(library=library, path="bad.jpg", kind=Asset.Kind.PHOTO, status=Asset.Status.PENDING)
    report = run_stages([good.pk, bad.pk])
    assert (report.ran, report.failed) == (1, 1)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.status, good.camera_make) == (Asset.Status.READY, "Canon")
    assert bad.status == Asset.Status.ERROR
    assert bad.last_error.startswith("metadata: MetadataError: JPEG header is unreadable")
    assert AssetStage.objects.get(asset=bad, stage="metadata").error


def test_over_long_strings_are_cut_to_the_column(library, library_root):
    exif = camera_exif()
    exif[0x0110] = "M" * 500  # Model
    asset = photo_asset(library, library_root, exif=exif)
    MetadataStage().run(asset)
    asset.refresh_from_db()
    assert asset.camera_model == "M" * 128


def test_json_safe_removes_nul_and_nan():
    assert json_safe({"a\x00": ["x\x00y", float("nan"), 1.5], "b": ("c",)}) == {
        "a": ["xy", None, 1.5],
        "b": ["c"],
    }


def test_missing_original_is_an_error(library):
    asset = AssetFactory(library=library, path="nowhere.jpg", kind=Asset.Kind.PHOTO)
    with pytest.raises(MetadataError, match="cannot read"):
        MetadataStage().run(asset)
