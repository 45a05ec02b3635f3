"""search_type=semantic: the query's CLIP vector against stored embeddings through the HNSW index."""

import numpy as np
import pytest
from django.db import connection

from apps.search import semantic
from apps.search.clip import embeddings
from apps.search.models import AssetEmbedding
from tests.factories import AssetFactory, LibraryFactory

from .helpers import indexed

pytestmark = pytest.mark.django_db
URL = "/api/search/"


def unit(v):
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v)


def at_similarity(query, similarity: float, seed: int):
    """A unit vector whose cosine similarity to `query` is exactly `similarity`."""
    noise = np.random.default_rng(seed).normal(size=512)
    noise = unit(noise - noise.dot(query) * query)  # orthogonal to the query
    return unit(similarity * query + np.sqrt(1 - similarity**2) * noise)


def embedded(clip, similarity: float, seed: int, query: str = "sunset over the sea", **fields):
    asset = indexed(**fields)
    vector = at_similarity(clip.embed_text(query), similarity, seed)
    embeddings.store([asset.pk], [vector], clip.image_model_name())
    return asset


@pytest.fixture
def library(user):
    return LibraryFactory(owner=user)


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_nearest_first_with_cosine_similarity_as_score(user_client, library, clip):
    sims = [0.31, 0.12, 0.27, 0.05, 0.22]
    assets = [embedded(clip, s, n, library=library) for n, s in enumerate(sims)]
    indexed(library=library)  # no embedding: never a semantic result
    response = user_client.get(URL, {"q": "sunset over the sea", "search_type": "semantic"})
    rows = results(response)
    expected = sorted(zip(sims, assets), key=lambda pair: -pair[0])
    assert [r["id"] for r in rows] == [str(a.pk) for _, a in expected]
    assert [r["score"] for r in rows] == pytest.approx([s for s, _ in expected], abs=1e-4)
    assert response.json()["search_type"] == "semantic" and response["X-Search-Type"] == "semantic"


def test_semantic_results_page_by_score_and_id(user_client, library, clip):
    sims = [0.1 + 0.01 * (n % 4) for n in range(11)]  # ties across pages
    expected = {str(embedded(clip, s, n, library=library).pk) for n, s in enumerate(sims)}
    seen, url, params = [], URL, {"q": "sunset over the sea", "search_type": "semantic", "page_size": 3}
    scores = []
    while url:
        body = user_client.get(url, params).json()
        seen += [r["id"] for r in body["results"]]
        scores += [r["score"] for r in body["results"]]
        url, params = body["next"], None
    assert len(seen) == len(set(seen)) == 11 and set(seen) == expected
    assert scores == sorted(scores, reverse=True)


def test_filters_and_visibility_apply_to_semantic_results(user_client, library, other_user, clip):
    photo = embedded(clip, 0.2, 1, library=library)
    embedded(clip, 0.3, 2, library=library, kind="video", mime="video/mp4", path="v/a.mp4")
    embedded(clip, 0.9, 3, library=LibraryFactory(owner=other_user))  # nearest of all, but not ours
    rows = results(user_client.get(URL, {"q": "sunset over the sea", "search_type": "semantic", "kind": "photo"}))
    assert [r["id"] for r in rows] == [str(photo.pk)]


def test_embeddings_of_another_model_are_not_compared(user_client, library, clip):
    current = embedded(clip, 0.2, 1, library=library)
    old = indexed(library=library)
    embeddings.store([old.pk], [clip.embed_text("sunset over the sea")], "some-other-model")
    rows = results(user_client.get(URL, {"q": "sunset over the sea", "search_type": "semantic"}))
    assert [r["id"] for r in rows] == [str(current.pk)]


def test_the_knn_query_has_the_shape_the_hnsw_index_answers(user, library, clip, settings):
    settings.MEDIAHUB_SEARCH_EF_SEARCH = 64
    for n in range(30):
        embedded(clip, 0.1 + n / 100, n, library=library)
    everything = AssetEmbedding.objects.values("asset_id")  # all visible: the filter's plan is the planner's call
    sql, params = semantic.nearest(everything, clip.embed_text("x"), limit=10).query.sql_with_params()
    with semantic.tuned(), connection.cursor() as cursor:
        cursor.execute("SHOW hnsw.ef_search")
        assert cursor.fetchone()[0] == "64"
        cursor.execute("SHOW hnsw.iterative_scan")
        assert cursor.fetchone()[0] == "relaxed_order"
        cursor.execute("SET LOCAL enable_seqscan = off")  # 30 rows: make the planner show the index it can use
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using assetembedding_vector_hnsw" in plan, plan


def test_hnsw_agrees_with_exact_search(user, library, clip):
    rng = np.random.default_rng(7)
    vectors = [unit(rng.normal(size=512)) for _ in range(200)]
    assets = [AssetFactory(library=library) for _ in vectors]
    embeddings.store([a.pk for a in assets], vectors, clip.image_model_name())
    query = clip.embed_text("a dog")
    exact = [str(assets[i].pk) for i in np.argsort([-v.dot(query) for v in vectors])[:10]]
    from apps.search import services
    from django.http import QueryDict

    with semantic.tuned():
        found = [str(pk) for pk, _ in semantic.nearest(services.search(user, QueryDict("")), query, limit=10)]
    assert len(set(found) & set(exact)) >= 9  # recall@10 of the approximate index
    assert AssetEmbedding.objects.count() == 200


def test_semantic_without_a_model_is_503_with_the_reason(user_client, library, no_clip, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    indexed(library=library, path="x/sunset.jpg")
    response = user_client.get(URL, {"q": "sunset", "search_type": "semantic"})
    assert response.status_code == 503
    assert "no-such-clip-model" in response.json()["detail"] and "not downloaded" in response.json()["detail"]


def test_semantic_needs_words_and_a_known_type(user_client, clip):
    assert "q" in user_client.get(URL, {"search_type": "semantic"}).json()
    response = user_client.get(URL, {"q": "x", "search_type": "vibes"})
    assert response.status_code == 400 and "search_type" in response.json()
