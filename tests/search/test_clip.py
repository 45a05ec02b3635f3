"""The CLIP model (a tiny random one built offline), the clip pipeline stage and `manage.py embed`."""

import logging

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from apps.assets.models import Asset
from apps.scanning.models import AssetStage
from apps.scanning.pipeline import run_stages
from apps.search.clip import embeddings
from apps.search.clip.stage import EmbeddingStage
from apps.search.models import AssetEmbedding
from tests.factories import AssetFactory

from .conftest import store_preview

STAGE = "apps.search.clip.stage.EmbeddingStage"


def recording(monkeypatch, owner, name) -> list:
    """Wrap owner.name so each call's arguments are kept (the real function still runs)."""
    calls, real = [], getattr(owner, name)

    def wrapper(*args, **kwargs):
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return calls


def test_model_loads_once_and_embeds_unit_vectors_in_batches(clip, monkeypatch):
    images = [Image.new("RGB", (64 + n, 48), (n * 20, 100, 50)) for n in range(7)]
    first = clip.get_model(clip.image_model_name())
    forward = recording(monkeypatch, first, "forward")  # one call per batch
    vectors = clip.embed_images(images, batch_size=3)
    assert vectors.shape == (7, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert len(forward) == 3  # 3 + 3 + 1
    assert clip.get_model(clip.image_model_name()) is first  # cached per process
    assert not np.allclose(vectors[0], vectors[6])  # different images, different vectors
    query = clip.embed_text("a red car on a beach")
    assert query.shape == (512,) and abs(np.linalg.norm(query) - 1) < 1e-5


def test_batch_and_one_by_one_give_the_same_vectors(clip):
    images = [Image.new("RGB", (40, 40), (n * 50, 0, 255 - n * 50)) for n in range(4)]
    together = clip.embed_images(images, batch_size=4)
    alone = np.vstack([clip.embed_images([image]) for image in images])
    assert np.allclose(together, alone, atol=1e-4)


def test_missing_model_gives_a_reason_not_a_download(no_clip, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    reason = no_clip.unavailable_reason()
    assert "no-such-clip-model" in reason and "not downloaded" in reason
    worker_reason = no_clip.unavailable_reason(download=True)
    assert "cannot be downloaded" in worker_reason and "HF_HUB_OFFLINE" in worker_reason
    with pytest.raises(no_clip.ClipUnavailable):
        no_clip.embed_text("anything")


def test_a_broken_model_folder_is_a_reason(settings, tmp_path):
    from apps.search.clip import model

    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "config.json").write_text("{not json")
    settings.MEDIAHUB_CLIP_MODEL = str(tmp_path / "broken")
    try:
        assert "could not be loaded" in model.unavailable_reason()
    finally:
        model.forget()


def test_default_pipeline_lists_the_stage_after_faces_and_before_search(settings):
    names = [path.rsplit(".", 1)[-1] for path in settings.MEDIAHUB_PIPELINE_STAGES]
    assert names.index("FaceStage") < names.index("EmbeddingStage") < names.index("SearchIndexStage")


@pytest.mark.django_db
def test_stage_embeds_a_whole_batch_at_once_and_stores_unit_512d_vectors(clip, settings, monkeypatch):
    settings.MEDIAHUB_PIPELINE_STAGES = [STAGE]
    photos = [AssetFactory(status="pending") for _ in range(5)]
    video = AssetFactory(kind="video", mime="video/mp4", path="v/clip.mp4", status="pending")
    for n, asset in enumerate([*photos, video]):
        store_preview(asset, colour=(n * 40, 90, 200 - n * 30), pattern=n)
    audio = AssetFactory(kind="audio", mime="audio/mpeg", path="a/song.mp3", status="pending")
    embed = recording(monkeypatch, clip, "embed_images")
    report = run_stages([a.pk for a in [*photos, video, audio]])
    assert (report.ran, report.failed) == (6, 0)
    assert [len(args[0]) for args, _ in embed] == [6]  # one model call for the task's batch
    rows = {row.asset_id: row for row in AssetEmbedding.objects.all()}
    assert set(rows) == {a.pk for a in [*photos, video]}
    for row in rows.values():
        vector = np.asarray(row.vector)
        assert vector.shape == (512,) and abs(np.linalg.norm(vector) - 1) < 1e-4
        assert row.model == clip.image_model_name()
    assert Asset.objects.get(pk=audio.pk).status == "ready"  # not applicable, nothing to wait for


@pytest.mark.django_db
def test_an_asset_without_preview_fails_alone_and_a_rerun_replaces_the_vector(clip, settings):
    settings.MEDIAHUB_PIPELINE_STAGES = [STAGE]
    good, bare = AssetFactory(status="pending"), AssetFactory(status="pending")
    store_preview(good, colour=(10, 200, 10))
    report = run_stages([good.pk, bare.pk])
    assert (report.ran, report.failed) == (1, 1)
    assert "no preview yet" in AssetStage.objects.get(asset=bare, stage="clip").error
    assert Asset.objects.get(pk=bare.pk).status == "error" and Asset.objects.get(pk=good.pk).status == "ready"
    before = np.asarray(AssetEmbedding.objects.get(asset=good).vector)
    store_preview(good, colour=(250, 250, 0), pattern=3)
    run_stages([good.pk], force=True)
    assert AssetEmbedding.objects.filter(asset=good).count() == 1
    assert not np.allclose(before, np.asarray(AssetEmbedding.objects.get(asset=good).vector))


@pytest.mark.django_db
def test_without_a_model_the_stage_does_not_apply_and_ingest_completes(no_clip, settings, monkeypatch, caplog):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings.MEDIAHUB_PIPELINE_STAGES = [STAGE]
    assets = [AssetFactory(status="pending") for _ in range(3)]
    EmbeddingStage._warned_reason = None
    with caplog.at_level(logging.WARNING):
        report = run_stages([a.pk for a in assets])
    assert (report.ran, report.failed) == (0, 0)
    assert set(Asset.objects.values_list("status", flat=True)) == {"ready"}
    assert caplog.text.count("CLIP embeddings unavailable") == 1  # once, not per asset


@pytest.mark.django_db
def test_embed_command_missing_then_all(clip, settings, capsys):
    settings.MEDIAHUB_PIPELINE_STAGES = [STAGE]
    assets = [AssetFactory() for _ in range(4)]
    for n, asset in enumerate(assets):
        store_preview(asset, colour=(n * 60, 20, 20))
    embeddings.store([assets[0].pk], np.eye(1, 512, dtype=np.float32), "an-older-model")
    call_command("embed", "--inline")
    out = capsys.readouterr().out
    assert "4 assets embedded here" in out and "4 of 4 photos and videos embedded" in out
    assert set(AssetEmbedding.objects.values_list("model", flat=True)) == {clip.image_model_name()}
    call_command("embed", "--missing", "--inline")
    assert "0 assets embedded here" in capsys.readouterr().out
    call_command("embed", "--all", "--inline")
    assert "4 assets embedded here" in capsys.readouterr().out


@pytest.mark.django_db
def test_embed_command_says_why_it_cannot_run(no_clip, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(CommandError, match="CLIP unavailable: .*no-such-clip-model"):
        call_command("embed")


@pytest.mark.django_db
def test_the_default_pipeline_embeds_the_preview_it_just_made(clip, settings, tmp_path, user):
    """Metadata, derivatives, faces, clip and search on a real photo: the clip stage reads the stored preview."""
    from tests.assets.media_samples import asset_for, library_at, quadrant_pattern

    library = library_at(tmp_path, user)
    quadrant_pattern().save(tmp_path / "IMG_0042.jpg")
    photo = asset_for(library, "IMG_0042.jpg")
    report = run_stages([photo.pk])
    assert report.failed == 0, report.errors
    assert AssetStage.objects.get(asset=photo, stage="clip").done_at is not None
    assert AssetEmbedding.objects.filter(asset=photo, model=clip.image_model_name()).exists()
    assert Asset.objects.get(pk=photo.pk).status == "ready"
