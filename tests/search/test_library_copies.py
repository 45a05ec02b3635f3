"""Search documents and image embeddings carry their asset's library (migration search 0005), kept
by triggers whoever writes them, so a search confined to one library filters those rows themselves
instead of joining every word match and neighbour to its asset first."""

import pytest
from django.http import QueryDict

from apps.assets.models import Asset
from apps.search import semantic, services
from apps.search.clip import embeddings
from apps.search.hybrid import word_matches
from apps.search.models import AssetEmbedding, AssetSearch
from apps.search.text import prefix_tsquery
from tests.factories import LibraryFactory

from .test_semantic import embedded

pytestmark = pytest.mark.django_db
URL = "/api/search/"


@pytest.fixture
def libraries(user):
    return LibraryFactory(owner=user), LibraryFactory(owner=user)


def copies(asset) -> tuple:
    return AssetSearch.objects.get(asset=asset).library_id, AssetEmbedding.objects.get(asset=asset).library_id


def test_a_new_document_and_embedding_take_their_assets_library(libraries, clip):
    first, second = libraries
    assets = [embedded(clip, 0.2, 1, library=first), embedded(clip, 0.2, 2, library=second)]
    assert [copies(asset) for asset in assets] == [(first.pk, first.pk), (second.pk, second.pk)]


def test_a_rewrite_that_does_not_name_the_library_keeps_it(libraries, clip):
    library = libraries[0]
    asset = embedded(clip, 0.2, 1, library=library)
    document = AssetSearch.objects.get(asset=asset)
    document.library_id = None  # what a model instance built in Python holds
    document.save()
    embeddings.store([asset.pk], [[1.0] + [0.0] * 511], clip.image_model_name())  # ON CONFLICT DO UPDATE
    services.index_assets([asset])
    assert copies(asset) == (library.pk, library.pk)


def test_an_asset_that_changes_library_takes_its_rows_along(libraries, clip):
    first, second = libraries
    moved, stays = embedded(clip, 0.2, 1, library=first), embedded(clip, 0.2, 2, library=first)
    Asset.objects.filter(pk=moved.pk).update(library=second)
    assert (copies(moved), copies(stays)) == ((second.pk, second.pk), (first.pk, first.pk))


@pytest.mark.parametrize("search_type", ["hybrid", "semantic", "text"])
@pytest.mark.parametrize("given", ["{pk}", "{pk}.0"])
def test_a_search_confined_to_a_library_finds_only_its_assets(user_client, libraries, clip, search_type, given):
    """`4.0` is read by the filter but not by confined_library: the filter alone confines it, the same rows."""
    first, second = libraries
    inside = [embedded(clip, s, n, library=first, path=f"sunset/{n}.jpg") for n, s in enumerate([0.3, 0.2])]
    for n in range(3):
        embedded(clip, 0.35, 10 + n, library=second, path=f"sunset/{n}.jpg")
    response = user_client.get(URL, {"q": "sunset", "search_type": search_type, "library": given.format(pk=first.pk)})
    assert response.status_code == 200, response.content
    assert sorted(row["id"] for row in response.json()["results"]) == sorted(str(a.pk) for a in inside)


def test_the_candidates_are_confined_by_their_rows_copy_and_a_page_by_the_assets_library(user, libraries, clip):
    """One library filter, not two: the same 10% counted twice on a side made PostgreSQL sort a whole
    library by distance instead of walking the HNSW graph (bench_hybrid.py)."""
    library = libraries[0]
    data = QueryDict(mutable=True)
    data.update({"q": "sunset", "library": str(library.pk)})
    filtered = semantic.scope(user, data)
    words = word_matches(filtered.unconfined, prefix_tsquery("sunset"), 10, clip.embed_text("sunset"), filtered.library)
    meaning = semantic.nearest(filtered.unconfined, clip.embed_text("sunset"), 10, filtered.library)
    for (sql, params), table in zip([words, meaning.query.sql_with_params()], ["search_assetsearch", "search_assetembedding"]):
        own = f'"{table}"."library_id" = %s'
        assert own in sql and sql.count('"library_id" = %s') == sql.count(own) and library.pk in params
    assert f'"assets_asset"."library_id" = {library.pk}' in str(filtered.assets.query)


@pytest.mark.parametrize(("given", "confined"), [("", None), ("7", 7), ("7.0", None), ("x", None)])
def test_confined_library_reads_only_a_whole_number(given, confined):
    data = QueryDict(mutable=True)
    data.update({"library": given})
    assert semantic.confined_library(data) == confined


@pytest.mark.parametrize("search_type", ["hybrid", "semantic", "text"])
def test_a_library_number_beyond_bigint_finds_nothing_and_fails_nothing(user_client, libraries, clip, search_type):
    embedded(clip, 0.3, 1, library=libraries[0], path="sunset/1.jpg")
    response = user_client.get(URL, {"q": "sunset", "search_type": search_type, "library": "9" * 20})
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []
