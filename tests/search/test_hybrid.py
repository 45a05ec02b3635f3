"""search_type=hybrid (the default when embeddings exist): meaning and words together, and its fallback."""

import pytest

from tests.factories import LibraryFactory

from .helpers import indexed
from .test_semantic import embedded

pytestmark = pytest.mark.django_db
URL = "/api/search/"
QUERY = "sunset over the sea"


@pytest.fixture
def library(user):
    return LibraryFactory(owner=user)


def ranked(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_an_exact_file_name_match_wins_over_photos_that_only_look_alike(user_client, library, clip):
    # Similarities in the range real CLIP models give text against photos (0.1-0.35).
    lookalikes = [embedded(clip, s, n, library=library, query="4120") for n, s in enumerate([0.33, 0.3, 0.28])]
    named = embedded(clip, 0.12, 9, library=library, path="2019/IMG_4120.JPG", query="4120")
    response = user_client.get(URL, {"q": "4120", "search_type": "hybrid"})
    ids = ranked(response)
    assert ids[0] == str(named.pk)
    assert ids[1:] == [str(a.pk) for a in lookalikes]  # then by meaning
    assert response.json()["search_type"] == "hybrid" and response.json()["notice"] == ""
    [best, *_] = response.json()["results"]
    assert best["score"] == pytest.approx(0.7 * 0.12 + 0.3 * 1.0, abs=1e-4)


def test_hybrid_is_the_default_when_embeddings_exist(user_client, library, clip):
    embedded(clip, 0.2, 1, library=library)
    response = user_client.get(URL, {"q": QUERY})
    assert response.json()["search_type"] == "hybrid" and response["X-Search-Type"] == "hybrid"


def test_weights_per_request(user_client, library, clip):
    near = embedded(clip, 0.35, 1, library=library)
    named = embedded(clip, 0.05, 2, library=library, path="x/sunset.jpg")
    by_words = ranked(user_client.get(URL, {"q": "sunset", "search_type": "hybrid", "semantic_weight": 0.1, "text_weight": 0.9}))
    by_meaning = ranked(user_client.get(URL, {"q": "sunset", "search_type": "hybrid", "semantic_weight": 1, "text_weight": 0}))
    assert by_words[0] == str(named.pk) and by_meaning[0] == str(near.pk)
    response = user_client.get(URL, {"q": "sunset", "search_type": "hybrid", "text_weight": 2})
    assert response.status_code == 400 and "text_weight" in response.json()


def test_words_without_embedding_and_embeddings_without_words_both_come(user_client, library, clip):
    only_words = indexed(library=library, path="beach/sunset_strip.jpg")  # no embedding yet
    only_meaning = embedded(clip, 0.3, 1, library=library)
    ids = ranked(user_client.get(URL, {"q": "sunset", "search_type": "hybrid"}))
    assert set(ids) == {str(only_words.pk), str(only_meaning.pk)}


def test_hybrid_never_shows_another_users_assets(user_client, library, other_user, clip):
    mine = embedded(clip, 0.1, 1, library=library)
    embedded(clip, 0.9, 2, library=LibraryFactory(owner=other_user), path="theirs/sunset.jpg")
    assert ranked(user_client.get(URL, {"q": "sunset", "search_type": "hybrid"})) == [str(mine.pk)]


def test_hybrid_pages_walk_every_result_once(user_client, library, clip):
    expected = {str(embedded(clip, 0.1 + (n % 3) / 10, n, library=library, path=f"w/walk_{n}.jpg").pk)
                for n in range(7)}
    expected |= {str(embedded(clip, 0.2, 20 + n, library=library).pk) for n in range(4)}
    seen, url, params = [], URL, {"q": "walk", "search_type": "hybrid", "page_size": 2}
    while url:
        body = user_client.get(url, params).json()
        seen += [row["id"] for row in body["results"]]
        url, params = body["next"], None
    assert len(seen) == len(set(seen)) == 11 and set(seen) == expected


def test_hybrid_without_a_model_falls_back_to_text_and_says_so(user_client, library, no_clip, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    match = indexed(library=library, path="x/sunset.jpg")
    indexed(library=library, path="x/other.jpg")
    response = user_client.get(URL, {"q": "sunset", "search_type": "hybrid"})
    assert ranked(response) == [str(match.pk)]
    body = response.json()
    assert body["search_type"] == "text" and response["X-Search-Type"] == "text"
    assert "semantic search unavailable" in body["notice"] and "no-such-clip-model" in body["notice"]
    # No model and no choice: text, quietly.
    default = user_client.get(URL, {"q": "sunset"}).json()
    assert default["search_type"] == "text" and default["notice"] == ""


@pytest.fixture
def browser(client, user):
    client.force_login(user)
    return client


def test_search_page_offers_the_match_choice_and_ranks_by_meaning(browser, library, clip):
    near = embedded(clip, 0.4, 1, library=library)
    far = embedded(clip, 0.1, 2, library=library)
    html = browser.get("/search/", {"q": QUERY, "search_type": "semantic"}).content.decode()
    assert 'name="search_type"' in html and 'value="semantic" selected' in html
    assert "unavailable" not in html
    assert html.index(f'data-asset="{near.pk}"') < html.index(f'data-asset="{far.pk}"')
    partial = browser.get("/search/", {"q": QUERY}, headers={"HX-Request": "true"}).content.decode()
    assert 'data-search-type="hybrid"' in partial


def test_search_page_shows_a_banner_without_a_model_and_still_finds_words(browser, library, no_clip, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    match = indexed(library=library, path="x/sunset.jpg")
    html = browser.get("/search/", {"q": "sunset", "search_type": "hybrid"}).content.decode()
    assert 'class="banner"' in html and "Search by meaning is unavailable" in html and "no-such-clip-model" in html
    assert f'data-asset="{match.pk}"' in html and 'value="semantic" disabled' in html and 'value="hybrid" selected' not in html
    assert "semantic search unavailable, words only" in html.lower()
    error = browser.get("/search/", {"q": "sunset", "search_type": "semantic"}).content.decode()
    assert "semantic search: unavailable" in error


def test_hybrid_takes_only_as_many_nearest_by_meaning_as_it_is_set_to(user_client, library, clip, settings):
    settings.MEDIAHUB_SEARCH_HYBRID_NEAREST = 2
    near = [embedded(clip, s, n, library=library) for n, s in enumerate([0.35, 0.3])]
    [embedded(clip, s, 10 + n, library=library) for n, s in enumerate([0.2, 0.1])]  # beyond the two
    assert ranked(user_client.get(URL, {"q": QUERY, "search_type": "hybrid"})) == [str(a.pk) for a in near]


def test_hybrid_takes_only_as_many_best_word_matches_as_it_is_set_to(user_client, library, clip, settings):
    settings.MEDIAHUB_SEARCH_HYBRID_NEAREST = 1
    settings.MEDIAHUB_SEARCH_HYBRID_WORDS = 2
    # "walk" three, two and one times in the path: the first two rank best by words.
    best = [embedded(clip, 0.1, n, library=library, path=f"{'walk/' * (3 - n)}x{n}.jpg", query="walk")
            for n in range(2)]
    embedded(clip, 0.2, 5, library=library, path="walk/x5.jpg", query="walk")  # a match, third by words
    nearest = embedded(clip, 0.5, 9, library=library, query="walk")
    ids = ranked(user_client.get(URL, {"q": "walk", "search_type": "hybrid"}))
    assert sorted(ids) == sorted(str(a.pk) for a in [*best, nearest])


def test_a_word_matching_more_assets_than_the_cap_ranks_only_that_many(user_client, library, clip, settings):
    settings.MEDIAHUB_SEARCH_HYBRID_NEAREST = 1
    settings.MEDIAHUB_SEARCH_WORD_RANK_CAP = 3
    walks = {str(embedded(clip, 0.1, n, library=library, path=f"w/walk_{n}.jpg", query="walk").pk) for n in range(5)}
    nearest = embedded(clip, 0.5, 9, library=library, query="walk")
    ids = ranked(user_client.get(URL, {"q": "walk", "search_type": "hybrid"}))
    assert len(ids) == 4 and str(nearest.pk) in ids
    assert len(set(ids) & walks) == 3  # three of the five word matches


def test_below_the_cap_the_word_side_is_the_exact_ranking(user, library, clip, settings):
    from django.http import QueryDict

    from apps.core import side_queries
    from apps.search import hybrid, semantic, services
    from apps.search.text import prefix_tsquery

    settings.MEDIAHUB_SEARCH_WORD_RANK_CAP = 6
    for n in range(6):  # ranks differ: "walk" once, twice... in the path; ties broken by id
        indexed(library=library, path=f"{'walk/' * (1 + n % 3)}x{n}.jpg")
    data = QueryDict(mutable=True)
    data.update({"q": "walk"})
    exact = list(services.search(user, data).order_by("-score", "-pk").values_list("pk", "score"))
    vector = clip.embed_text("walk")
    matches = hybrid.word_matches(services.search(user, semantic.without_words(data)), prefix_tsquery("walk"), 10, vector)
    capped = [(pk, rank) for pk, rank, _ in side_queries.rows(*matches)]
    assert len(exact) == 6 and [pk for pk, _ in capped] == [pk for pk, _ in exact]
    assert [s for _, s in capped] == pytest.approx([s for _, s in exact])
    assert len({s for _, s in exact}) == 3  # the ranking is not all ties


@pytest.mark.django_db(transaction=True)
def test_committed_data_the_words_side_runs_on_its_own_connection_and_ranks_the_same(
    user_client, library, clip, monkeypatch
):
    import threading

    from apps.search import hybrid

    threads = []
    by_words = hybrid._by_words
    monkeypatch.setattr(hybrid, "_by_words", lambda *args: threads.append(threading.current_thread().name) or by_words(*args))
    lookalikes = [embedded(clip, s, n, library=library, query="4120") for n, s in enumerate([0.33, 0.3, 0.28])]
    named = embedded(clip, 0.12, 9, library=library, path="2019/IMG_4120.JPG", query="4120")
    response = user_client.get(URL, {"q": "4120", "search_type": "hybrid"})
    assert ranked(response) == [str(a.pk) for a in [named, *lookalikes]]
    assert response.json()["results"][0]["score"] == pytest.approx(0.7 * 0.12 + 0.3 * 1.0, abs=1e-4)
    assert threads and threads[0].startswith("side-query"), "the words side ran beside the meaning side"


def test_the_nearest_are_ranked_by_words_too_when_they_match(user, library, clip):
    """A photo both near by meaning and matching the words is scored with both, whichever side found it."""
    from apps.search.matches import word_ranks
    from apps.search.text import prefix_tsquery

    match = indexed(library=library, path="x/sunset.jpg")
    other = indexed(library=library, path="x/other.jpg")
    ranks = word_ranks(prefix_tsquery("sunset"), [match.pk, other.pk])
    assert ranks[other.pk] == 0.0 and ranks[match.pk] > 0
