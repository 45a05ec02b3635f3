"""Substring search on file names through the index of their pieces (AssetFilenameGrams): the same
answers as the plain `filename__icontains` it replaced, kept right on every write, backfilled."""

import importlib

import pytest
from django.db import connection

from apps.assets.models import Asset
from apps.search import services
from apps.search.models import AssetFilenameGrams
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "IMG_4120.JPG", "img_41205.jpeg", "Ölberg 2019.heic", "ÖLBERG.png", "straße.jpg", "STRASSE.JPG",
    "100% sure.png", "100 percent.png", "a_b.gif", "aXb.gif", "back\\slash.txt", "İstanbul.jpg",
    "ıi.jpg", "🏔️ Alps.jpg", "ﬁle.jpg", "file.jpg", "x", "ab", "Ab", "résumé.pdf", "RÉSUMÉ.PDF",
    "a  double space.mov", "dot.only.", "",
]
QUERIES = [
    "a", "A", "x", "ab", "AB", "b.", "_", "%", "%_", "\\", "\\s", "4120", "_41", "_4120.", ".jpg", ".JPG",
    "ölb", "ÖLB", "Ö", "ö", "ß", "ss", "SS", "strasse", "İ", "i", "ı", "🏔", "🏔️ A", "ﬁ", "fi", "é", "É",
    "résumé", "  ", " d", "dot.only.", "no such name", "IMG_4120.JPG.", "100% s", "e",
]


@pytest.fixture
def named(user):
    library = LibraryFactory(owner=user)
    # One INSERT, as a scan writes them: the statement trigger cuts the pieces of the whole batch.
    assets = Asset.objects.bulk_create([AssetFactory.build(library=library, path=f"p/{n}/{name}", filename=name)
                                        for n, name in enumerate(NAMES)])
    return {asset.filename: asset for asset in assets}


def found(user, text) -> set:
    return set(services.search(user, {"filename": text}).values_list("pk", flat=True))


def containing(text) -> set:
    return set(services.with_filename_containing(Asset.objects.all(), text).values_list("pk", flat=True))


def test_every_tricky_query_finds_exactly_what_the_plain_substring_match_finds(user, named):
    answers = {}
    for text in QUERIES:
        expected = set(Asset.objects.filter(filename__icontains=text).values_list("pk", flat=True))
        assert containing(text) == expected, text
        if text.strip() == text:  # the search form strips the parameter, as it always did
            assert found(user, text) == expected, text
        answers[text] = len(expected)
    # The inputs do reach both ways of failing: common pieces, one-letter queries, nothing at all.
    assert answers["a"] > 5 and answers["_"] == 3 and answers["%"] == 1 and answers["no such name"] == 0
    assert answers["ab"] == 2 and answers["4120"] == 2 and answers["\\"] == 1


def test_pieces_follow_inserts_renames_and_deletes(user, named):
    photo = named["IMG_4120.JPG"]
    photo.filename = "Renamed_Holiday.jpg"
    photo.save()
    assert found(user, "holiday") == {photo.pk} and photo.pk not in found(user, "4120")
    Asset.objects.filter(pk=named["aXb.gif"].pk).update(filename="QQQ.gif")
    assert found(user, "qqq") == {named["aXb.gif"].pk}
    gone = named["ab"].pk
    named["ab"].delete()
    assert not AssetFilenameGrams.objects.filter(asset_id=gone).exists()
    assert AssetFilenameGrams.objects.count() == Asset.objects.count()


def test_other_users_names_stay_out(user, other_user, named):
    AssetFactory(library=LibraryFactory(owner=other_user), path="b/IMG_4120_bob.JPG", filename="IMG_4120_bob.JPG")
    assert found(user, "4120") == {named["IMG_4120.JPG"].pk, named["img_41205.jpeg"].pk}
    assert len(found(other_user, "4120")) == 1


def test_the_migration_backfills_assets_written_before_it_in_batches(user, named, monkeypatch):
    migration = importlib.import_module("apps.search.migrations.0003_filename_grams")
    AssetFilenameGrams.objects.filter(asset__filename__icontains="a").delete()
    missing = Asset.objects.count() - AssetFilenameGrams.objects.count()
    assert missing > 5
    monkeypatch.setattr(migration, "BACKFILL_BATCH", 3)  # several batches, the last one partial

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.backfill(None, editor)
    assert AssetFilenameGrams.objects.count() == Asset.objects.count()
    for text in ("a", "ab", "Ölb"):
        expected = set(Asset.objects.filter(filename__icontains=text).values_list("pk", flat=True))
        assert found(user, text) == expected
