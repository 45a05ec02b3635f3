import factory
import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F

from apps.assets.models import Asset
from apps.search import matches, services
from apps.search.matches import ranked_matches
from apps.search.models import AssetSearch
from apps.search.text import document_text, fold, prefix_tsquery, words
from tests.factories import AssetFactory, LibraryFactory
from tests.search.helpers import indexed


def test_fold_removes_accents_and_case():
    assert fold("Zürich Ångström ÉTÉ Straße") == "zurich angstrom ete strasse"


def test_file_names_split_on_separators_and_between_letters_and_digits():
    assert words("IMG_4120.JPG") == ["img", "4120", "jpg"]
    assert words("holiday-2019_beach.v2") == ["holiday", "2019", "beach", "v", "2"]
    assert document_text("DSC01234.NEF", "2024/Côte d'Azur") == "dsc 01234 nef 2024 cote d azur"


def test_query_is_prefix_and_of_unique_words():
    assert prefix_tsquery("Zür 41 zür") == "'zur':* & '41':*"
    assert prefix_tsquery("  ---  ") == ""


def test_query_cannot_inject_tsquery_syntax():
    assert prefix_tsquery("a' | !b:*") == "'a':* & 'b':*"


# --- the ranked-matches join (apps/search/matches.py) behaves as an ordinary Asset queryset ------


@pytest.fixture
def ranked_library(db, user):
    library = LibraryFactory(owner=user)
    for n in range(6):
        indexed(library=library, path=f"beach/IMG_{n}.jpg", camera_model="Fuji" if n % 2 else "")
    indexed(library=library, path="beach/beach beach.jpg")
    indexed(library=library, path="city/IMG_9.jpg")
    return library


def _plain_join(tsquery):
    """The straightforward formulation the join replaces: the reference for scores and order."""
    query = SearchQuery(tsquery, search_type="raw", config="simple")
    return (Asset.objects.filter(search__document=query)
            .annotate(score=SearchRank(F("search__document"), query, cover_density=True)))


def test_same_rows_scores_and_order_as_the_plain_join(ranked_library):
    ranked = ranked_matches(Asset.objects.all(), "'beach':*").order_by("-score", "-pk")
    plain = _plain_join("'beach':*").order_by("-score", "-pk")
    assert [(a.pk, a.score) for a in ranked] == [(a.pk, a.score) for a in plain]
    assert len(ranked) == 7 and ranked[0].filename == "beach beach.jpg"


def test_filters_count_exists_and_use_as_a_subquery(ranked_library):
    ranked = ranked_matches(Asset.objects.filter(camera_model="Fuji"), "'beach':*")
    assert ranked.count() == 3 and ranked.exists()
    inner = ranked.filter(score__gt=0).values("pk")
    assert Asset.objects.filter(pk__in=inner).count() == 3  # aliases relabelled inside the subquery
    assert ranked.filter(filename__startswith="IMG_1").get().camera_model == "Fuji"


def test_search_service_keeps_its_contract(ranked_library, user):
    results = services.search(user, {"q": "beach", "camera_model": "Fuji"})
    assert results.model is Asset and {a.camera_model for a in results} == {"Fuji"}
    assert all(a.score > 0 for a in results)
    assert services.search(user, {"q": "city"}).get().filename == "IMG_9.jpg"


def test_matches_come_in_block_order_from_both_parts(db, user, monkeypatch):
    monkeypatch.setattr(matches, "FIRST_BLOCKS", 1)
    library = LibraryFactory(owner=user)
    services.index_assets(AssetFactory.create_batch(
        150, library=library, path=factory.Sequence(lambda n: f"{'walk' if n % 3 == 0 else 'x'}/IMG_{n}.jpg")))
    with connection.cursor() as cursor:
        cursor.execute("SELECT asset_id, (ctid::text::point)[0] FROM search_assetsearch "
                       "WHERE document @@ to_tsquery('simple', %s) ORDER BY ctid", ["'walk':*"])
        rows = cursor.fetchall()
    assert len(rows) == 50 and len({block for _, block in rows}) > 1  # in both parts
    query = SearchQuery("'walk':*", search_type="raw", config="simple")
    documents = AssetSearch.objects.filter(document=query).order_by().values_list("asset_id", flat=True)
    assert list(matches.in_block_order(documents)) == [pk for pk, _ in rows]
    found = matches.matching(Asset.objects.visible_to(user), "'walk':*").values_list("pk", flat=True)
    assert set(found) == {pk for pk, _ in rows}
