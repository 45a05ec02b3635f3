"""The search stage in the real pipeline, and reindex_search for assets indexed before it existed."""

import pytest
from django.core.management import call_command

from apps.scanning.pipeline import run_stages
from apps.search.models import AssetSearch
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def test_search_stage_runs_after_metadata_in_the_default_pipeline(settings):
    names = [path.rsplit(".", 1)[-1] for path in settings.MEDIAHUB_PIPELINE_STAGES]
    assert names.index("SearchIndexStage") > names.index("MetadataStage")


def test_search_stage_builds_the_document(settings):
    settings.MEDIAHUB_PIPELINE_STAGES = ["apps.search.stage.SearchIndexStage"]
    asset = AssetFactory(path="Zürich/IMG_4120.JPG", latitude=47.3769, longitude=8.5417, camera_model="X100V")
    report = run_stages([asset.pk])
    assert report.ran == 1 and report.failed == 0
    row = AssetSearch.objects.get(asset=asset)
    assert row.country_code == "CH" and row.region == "Zurich"
    assert AssetSearch.objects.filter(document="zurich", asset=asset).exists()


def test_reindex_missing_then_all(capsys):
    assets = AssetFactory.create_batch(5, camera_model="Pentax K1")
    call_command("reindex_search", "--missing", "--batch-size", "2")
    assert AssetSearch.objects.count() == 5
    assert "indexed 5 assets" in capsys.readouterr().out
    call_command("reindex_search")  # nothing left to do
    assert "indexed 0 assets" in capsys.readouterr().out
    AssetSearch.objects.filter(asset=assets[0]).update(city="stale")
    call_command("reindex_search", "--all")
    assert "indexed 5 assets" in capsys.readouterr().out
    assert not AssetSearch.objects.filter(city="stale").exists()
