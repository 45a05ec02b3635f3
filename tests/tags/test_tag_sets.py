"""The per-asset tag arrays (AssetTagSet) the tag filters find their candidates with: kept exact by
the triggers on AssetTag whatever writes the links, and the filters' two plans (a materialised
candidate set, the walk with a probe per term) giving the same answers."""

import pytest

from apps.assets.models import Asset
from apps.tags import filtering, services
from apps.tags.models import AssetTag, AssetTagSet, Tag
from tests.factories import AssetFactory, LibraryFactory
from tests.tags.test_services import paths

pytestmark = pytest.mark.django_db


def assert_exact():
    links = {}
    for asset_id, tag_id in AssetTag.objects.values_list("asset_id", "tag_id"):
        links.setdefault(asset_id, set()).add(tag_id)
    arrays = dict(AssetTagSet.objects.values_list("asset_id", "tag_ids"))
    assert {pk: set(ids) for pk, ids in arrays.items()} == links
    assert all(ids == sorted(set(ids)) for ids in arrays.values())


def test_the_tag_arrays_follow_adds_removals_bulk_writes_moves_merges_and_deletions(user):
    library = LibraryFactory(owner=user)
    one, two, three = (AssetFactory(library=library) for _ in range(3))
    services.add_tags(user, [one.pk, two.pk], ["Places/Italy/Rome", "Family"])
    services.add_tags(user, [one.pk], ["Family", "Beach"])  # one already has Family
    assert_exact()
    assert not AssetTagSet.objects.filter(asset=three).exists()  # no tags, no row
    services.remove_tags(user, [two.pk], ["Places/Italy/Rome", "Family"])
    assert_exact()
    assert not AssetTagSet.objects.filter(asset=two).exists()  # its last tag went: the row too
    beach, family = Tag.objects.get(owner=user, path="Beach"), Tag.objects.get(owner=user, path="Family")
    AssetTag.objects.bulk_create([AssetTag(asset=a, tag=beach) for a in (one, two, three)], ignore_conflicts=True)
    assert_exact()
    AssetTag.objects.filter(asset=three, tag=beach).update(tag=family)  # a link moved to another tag
    AssetTag.objects.filter(asset=two, tag=beach).update(asset=three)  # and to another asset
    assert_exact()
    assert AssetTagSet.objects.get(asset=three).tag_ids == sorted([beach.pk, family.pk])
    services.merge(user, beach, family)
    assert_exact()
    services.delete_tag(user, Tag.objects.get(owner=user, path="Places"))  # cascades to its links
    assert_exact()
    Asset.objects.filter(pk=one.pk).delete()  # and an asset's deletion to its links
    assert_exact()
    assert list(AssetTagSet.objects.values_list("asset_id", "tag_ids")) == [(three.pk, [family.pk])]


@pytest.mark.parametrize(("candidates", "broad"), [(filtering.CANDIDATES, filtering.BROAD), (filtering.CANDIDATES, 1), (0, filtering.BROAD)],
                         ids=["materialised", "parents-checked-on-the-candidates", "walk"])
def test_all_any_and_none_together_give_the_same_photos_on_every_plan(user, other_user, monkeypatch, candidates, broad):
    monkeypatch.setattr(filtering, "CANDIDATES", candidates)
    monkeypatch.setattr(filtering, "BROAD", broad)
    library = LibraryFactory(owner=user)
    rome, paris, home = (AssetFactory(library=library, path=p) for p in ("rome.jpg", "paris.jpg", "home.jpg"))
    hidden = AssetFactory(library=LibraryFactory(owner=other_user), path="hidden.jpg")
    services.add_tags(user, [rome.pk], ["Places/Italy/Rome", "Family"])
    services.add_tags(user, [paris.pk], ["Places/France/Paris", "Family"])
    services.add_tags(user, [home.pk], ["Family", "Home"])
    services.add_tags(other_user, [hidden.pk, rome.pk], ["Family", "Places"])  # bob's tags are not alice's
    assert paths(user, tags_all="Family", tags_any="Places/Italy,Home", tags_none="Home") == {"rome.jpg"}
    assert paths(user, tags_all="Places", tags_none="Places/France") == {"rome.jpg"}
    assert paths(user, tags_any="Places,Home", tags_none="Nowhere") == {"rome.jpg", "paris.jpg", "home.jpg"}
    assert paths(user, tags_all="Family", tags_any="Nowhere") == set()
    assert paths(other_user, tags_all="Family,Places") == {"hidden.jpg"}  # alice's photo is not bob's to see
    assert paths(other_user, tags_all="Family", tags_none="Places") == set()
