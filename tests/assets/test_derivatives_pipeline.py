"""The derivative stages inside the real pipeline runner: outcomes land in AssetStage rows."""

import shutil

import pytest
from django.test import override_settings

from apps.assets.derivatives.storage import Derivative, existing
from apps.assets.models import Asset
from apps.scanning.models import AssetStage
from apps.scanning.pipeline import run_stages
from tests.assets.media_samples import asset_for, make_clip, quadrant_pattern

STAGES = [
    "apps.assets.derivatives.stage.ThumbnailStage",
    "apps.assets.derivatives.stage.PreviewStage",
    "apps.assets.derivatives.stage.VideoPosterStage",
    "apps.assets.derivatives.stage.TranscodeStage",
]


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
@override_settings(MEDIAHUB_PIPELINE_STAGES=STAGES)
def test_the_runner_records_each_derivative_stage(library, library_root):
    quadrant_pattern().save(library_root / "photo.jpg")
    (library_root / "broken.jpg").write_bytes(b"not a jpeg")
    make_clip(library_root / "old.avi", video_codec="mpeg4", audio_codec=None)
    photo = asset_for(library, "photo.jpg")
    broken = asset_for(library, "broken.jpg")
    clip = asset_for(library, "old.avi", kind=Asset.Kind.VIDEO, video_codec="mpeg4", duration=1.0)

    run_stages([photo.pk, broken.pk, clip.pk])

    done = set(AssetStage.objects.filter(done_at__isnull=False).values_list("asset_id", "stage"))
    assert done == {
        (photo.pk, "thumbnail"),
        (photo.pk, "preview"),
        (clip.pk, "poster"),
        (clip.pk, "transcode"),
    }
    errors = dict(AssetStage.objects.exclude(error="").values_list("stage", "error"))
    assert set(errors) == {"thumbnail", "preview"} and "cannot decode" in errors["preview"]
    assert all(
        existing(clip.pk, kind) for kind in (Derivative.THUMBNAIL, Derivative.PREVIEW, Derivative.TRANSCODE)
    )
    assert Asset.objects.get(pk=broken.pk).status == Asset.Status.ERROR
