"""Tags: file keywords at ingest, rename/merge/delete of a subtree, the asset filters, search words,
the trash, and who sees which tag."""

import pytest
from django.http import QueryDict

from apps.assets import trash
from apps.assets.filters import AssetFilter
from apps.assets.models import Asset, AssetMetadata
from apps.assets.services import move_to_trash
from apps.core.errors import BadInput, Conflict, Refused
from apps.search import services as search
from apps.tags import services
from apps.tags.models import AssetTag, Tag
from apps.tags.stage import FileTagsStage
from tests.factories import AssetFactory, LibraryFactory, UserFactory

pytestmark = pytest.mark.django_db

LIGHTROOM_XMP = """<x:xmpmeta><rdf:RDF><rdf:Description>
<dc:subject><rdf:Bag><rdf:li>Places</rdf:li><rdf:li>Italy</rdf:li><rdf:li>Rome</rdf:li><rdf:li>sunset</rdf:li></rdf:Bag></dc:subject>
<lr:hierarchicalSubject><rdf:Bag><rdf:li>Places|Italy|Rome</rdf:li></rdf:Bag></lr:hierarchicalSubject>
</rdf:Description></rdf:RDF></x:xmpmeta>"""


def xp(text: str) -> list[int]:
    return list(text.encode("utf-16-le"))


@pytest.fixture
def mine(user):
    return LibraryFactory(owner=user)


def paths(user, **query) -> set[str]:
    filters = AssetFilter(QueryDict(mutable=True) | query, queryset=Asset.objects.visible_to(user), user=user)
    assert filters.is_valid(), filters.errors
    return set(filters.qs.values_list("path", flat=True))


def test_file_keywords_become_file_tags_with_their_hierarchy_and_are_rewritten_when_the_file_changes(mine):
    asset = AssetFactory(library=mine)
    meta = AssetMetadata.objects.create(asset=asset, tags={"XMP": LIGHTROOM_XMP, "EXIF": {"Image XPKeywords": xp("Family; Beach")}})
    FileTagsStage().run_batch([asset])
    tags = Tag.objects.filter(links__asset=asset)
    assert {t.path for t in tags} == {"Places/Italy/Rome", "sunset", "Family", "Beach"}
    assert {t.source for t in tags} == {"file"} and all(t.owner_id is None for t in tags)

    meta.tags = {"XMP": "", "EXIF": {"Image XPKeywords": xp("Family")}}
    meta.save()
    FileTagsStage().run_batch([asset])
    assert set(Tag.objects.filter(links__asset=asset).values_list("path", flat=True)) == {"Family"}


def test_renaming_a_parent_renames_its_children_and_a_taken_name_is_a_conflict(user, mine):
    asset = AssetFactory(library=mine)
    services.add_tags(user, [asset.pk], ["Places/Italy/Rome", "Trips/Rome"])
    italy = Tag.objects.get(owner=user, path="Places/Italy")
    services.update_tag(user, italy, path="Places/Europe/Italy")
    assert set(Tag.objects.filter(owner=user).values_list("path", flat=True)) == {
        "Places", "Places/Europe", "Places/Europe/Italy", "Places/Europe/Italy/Rome", "Trips", "Trips/Rome"}
    with pytest.raises(Conflict):
        services.update_tag(user, Tag.objects.get(owner=user, path="Trips/Rome"), path="places/europe/italy/rome")
    with pytest.raises(BadInput, match="255"):
        services.update_tag(user, italy, path="x" * 256)
    with pytest.raises(BadInput, match="control characters"):
        services.create_tag(user, "bad\x07name")


def test_merging_moves_photos_and_children_into_the_target_and_deleting_takes_the_subtree(user, mine):
    one, two = AssetFactory(library=mine), AssetFactory(library=mine)
    services.add_tags(user, [one.pk], ["Rome/Colosseum"])
    services.add_tags(user, [two.pk], ["Places/Italy/Rome"])
    rome, target = Tag.objects.get(owner=user, path="Rome"), Tag.objects.get(owner=user, path="Places/Italy/Rome")
    services.add_tags(user, [two.pk], ["Rome"])
    services.merge(user, rome, target)
    assert not Tag.objects.filter(owner=user, key__in=["rome", "rome/colosseum"]).exists()
    assert set(AssetTag.objects.filter(tag=target).values_list("asset_id", flat=True)) == {two.pk}
    assert AssetTag.objects.filter(tag__path="Places/Italy/Rome/Colosseum", asset=one).exists()
    assert services.delete_tag(user, Tag.objects.get(owner=user, path="Places")) == 4
    assert not AssetTag.objects.filter(asset__in=[one, two]).exists()


def test_tag_filters_and_or_not_with_parents_matching_descendants_and_unknown_tags_matching_nothing(user, mine):
    rome, paris, home = (AssetFactory(library=mine, path=p) for p in ("rome.jpg", "paris.jpg", "home.jpg"))
    services.add_tags(user, [rome.pk], ["Places/Italy/Rome", "Family"])
    services.add_tags(user, [paris.pk], ["Places/France/Paris", "Family"])
    services.add_tags(user, [home.pk], ["Family"])
    assert paths(user, tags_all="Places,Family") == {"rome.jpg", "paris.jpg"}
    assert paths(user, tags_all="family", tags_none="Places/France") == {"rome.jpg", "home.jpg"}
    assert paths(user, tags_any="Places/Italy/Rome,Places/France") == {"rome.jpg", "paris.jpg"}
    assert paths(user, tags_all="Family,Nowhere") == set()
    assert paths(user, tags_any="Nowhere") == set()
    assert paths(user, tags_none="Nowhere") == {"rome.jpg", "paris.jpg", "home.jpg"}


def test_another_users_private_tags_neither_show_nor_filter_and_file_tags_show_only_with_a_visible_photo(user, other_user, mine):
    asset = AssetFactory(library=mine)
    services.add_tags(user, [asset.pk], ["Secret"])
    AssetMetadata.objects.create(asset=asset, tags={"XMP": LIGHTROOM_XMP})
    services.read_file_tags([asset.pk])
    assert not Tag.objects.visible_to(other_user).exists()
    assert set(Tag.objects.visible_to(user).values_list("path", flat=True)) == {"Secret", "Places/Italy/Rome", "sunset"}
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    services.add_tags(other_user, [asset.pk, theirs.pk], ["Secret"])  # alice's photo is not bob's to see
    assert AssetTag.objects.filter(tag__owner=other_user).count() == 1
    with pytest.raises(Refused):
        services.update_tag(user, Tag.objects.get(path="sunset"), colour="#ff0000")
    counted = services.with_counts(Tag.objects.filter(owner=other_user), other_user).get()
    assert (counted.count, counted.cover) == (1, theirs.pk)


def test_tag_names_join_the_search_document_and_the_trash_keeps_them(user, mine, django_capture_on_commit_callbacks):
    asset = AssetFactory(library=mine, path="IMG_1.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        services.add_tags(user, [asset.pk], ["Places/Italy/Rome"])
    assert list(search.search(user, QueryDict("q=rome"))) == [asset]
    move_to_trash(Asset.objects.filter(pk=asset.pk))
    assert list(search.search(user, QueryDict("tags_all=Places"))) == []  # search shows no trashed photo
    assert services.with_counts(Tag.objects.filter(owner=user, path="Places/Italy/Rome"), user).get().count == 0
    trash.restore(user, [asset.pk])
    assert [t.path for t in services.tags_of(user, asset)] == ["Places/Italy/Rome"]
    assert services.with_counts(Tag.objects.filter(owner=user, path="Places/Italy/Rome"), user).get().count == 1
