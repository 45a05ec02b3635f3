"""Album items: bulk add with a status per asset, removal, O(1) moves, and counts and date ranges
the database keeps current whatever changes the photos."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.albums import services
from apps.albums.models import POSITION_GAP, Album, AlbumItem
from apps.albums.services.items import renumber
from apps.assets.models import Asset
from apps.core.errors import BadInput, Conflict, Refused
from tests.albums.conftest import DAY
from tests.albums.factories import AlbumFactory
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


def order(album):
    return [item.asset_id for item in services.items_page(album, size=1000).items]


def test_adding_answers_each_asset_on_its_own(user, other_user, album, photos):
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    results = services.add_items(user, album, [photos[3].pk, photos[0].pk, theirs.pk, photos[3].pk])
    assert [(r.id, r.status) for r in results] == [(photos[3].pk, 201), (photos[0].pk, 200), (theirs.pk, 404)]
    assert order(album) == [p.pk for p in photos[:4]]
    assert not AlbumItem.objects.filter(asset=theirs).exists()


def test_count_and_date_range_follow_adds_and_removals(user, album, photos):
    album.refresh_from_db()
    assert (album.item_count, album.start_at, album.end_at) == (3, DAY, DAY + timedelta(days=2))
    services.add_items(user, album, [photos[4].pk])
    services.remove_items(user, album, [photos[0].pk])
    album.refresh_from_db()
    assert (album.item_count, album.start_at, album.end_at) == (
        3,
        DAY + timedelta(days=1),
        DAY + timedelta(days=4),
    )


def test_a_trashed_photo_leaves_the_album_and_comes_back_on_restore(user, album, photos):
    Asset.objects.filter(pk=photos[0].pk).update(deleted_at=timezone.now())  # as the trash does, no signal
    album.refresh_from_db()
    assert order(album) == [photos[1].pk, photos[2].pk]
    assert (album.item_count, album.start_at) == (2, DAY + timedelta(days=1))
    assert AlbumItem.objects.filter(album=album, asset=photos[0]).exists(), "the item keeps its row"
    Asset.objects.filter(pk=photos[0].pk).update(deleted_at=None)
    album.refresh_from_db()
    assert order(album) == [p.pk for p in photos[:3]]
    assert (album.item_count, album.start_at) == (3, DAY)


def test_a_new_capture_time_moves_the_date_range(user, album, photos):
    photos[1].taken_at = DAY - timedelta(days=30)
    photos[1].save()
    album.refresh_from_db()
    assert album.start_at == DAY - timedelta(days=30)


def test_a_missing_photo_stays_in_the_album_marked_missing(user, album, photos):
    Asset.objects.filter(pk=photos[1].pk).update(status=Asset.Status.MISSING)
    page = services.items_page(album).items
    assert [i.asset.status for i in page] == ["ready", "missing", "ready"]
    album.refresh_from_db()
    assert album.item_count == 3


def test_deleting_an_album_keeps_its_photos_and_forgetting_a_photo_updates_its_albums(user, album, photos):
    other = AlbumFactory(owner=user)
    services.add_items(user, other, [photos[0].pk])
    services.delete_album(user, album)
    assert Asset.objects.filter(pk__in=[p.pk for p in photos]).count() == 5
    photos[0].delete()
    other.refresh_from_db()
    assert other.item_count == 0 and other.start_at is None


def test_moving_an_item_writes_one_row(user, album, photos):
    services.update_album(user, album, sort=Album.Sort.MANUAL)
    before = dict(AlbumItem.objects.filter(album=album).values_list("asset_id", "position"))
    with CaptureQueriesContext(connection) as queries:
        services.move_item(user, album, photos[2].pk, after_id=photos[0].pk)
    writes = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(writes) == 1 and len(queries) <= 5
    after = dict(AlbumItem.objects.filter(album=album).values_list("asset_id", "position"))
    assert {k for k in after if after[k] != before[k]} == {photos[2].pk}
    assert order(album) == [photos[0].pk, photos[2].pk, photos[1].pk]
    services.move_item(user, album, photos[1].pk, after_id=None)
    assert order(album) == [photos[1].pk, photos[0].pk, photos[2].pk]


def test_a_move_without_room_renumbers_the_album_once(user, album, photos):
    items = AlbumItem.objects.filter(album=album)
    for i, photo in enumerate(photos[:3]):
        items.filter(asset=photo).update(position=i)  # neighbours touching
    services.move_item(user, album, photos[2].pk, after_id=photos[0].pk)
    assert order(album) == [photos[0].pk, photos[2].pk, photos[1].pk]
    positions = sorted(items.values_list("position", flat=True))
    assert min(b - a for a, b in zip(positions, positions[1:])) >= POSITION_GAP // 2


def test_moving_names_the_asset_that_is_not_in_the_album(user, album, photos):
    with pytest.raises(BadInput) as not_in:
        services.move_item(user, album, photos[4].pk, after_id=None)
    assert not_in.value.field == "asset" and str(photos[4].pk) in str(not_in.value)
    with pytest.raises(BadInput) as anchor:
        services.move_item(user, album, photos[0].pk, after_id=photos[4].pk)
    assert anchor.value.field == "after"


def test_a_date_ordered_album_is_not_reordered_by_hand_until_switched_to_manual(user, album, photos):
    services.update_album(user, album, sort=Album.Sort.DATE_DESC)
    assert order(album) == [photos[2].pk, photos[1].pk, photos[0].pk]
    with pytest.raises(Conflict):
        services.move_item(user, album, photos[0].pk)
    services.update_album(user, album, sort=Album.Sort.MANUAL)
    assert order(album) == [photos[2].pk, photos[1].pk, photos[0].pk], "switching keeps what was shown"


def test_pages_follow_the_album_order_with_a_cursor(user, album, photos):
    services.add_items(user, album, [p.pk for p in photos])
    first = services.items_page(album, size=2)
    second = services.items_page(album, cursor=first.next_cursor, size=2)
    third = services.items_page(album, cursor=second.next_cursor, size=2)
    assert [i.asset_id for i in first.items + second.items + third.items] == [p.pk for p in photos]
    assert third.next_cursor is None


def test_contributors_add_from_their_own_libraries_and_remove_only_what_they_added(
    user, album, photos, contributor, viewer
):
    theirs = AssetFactory(library=contributor.libraries.get())
    results = services.add_items(contributor, album, [theirs.pk, photos[4].pk])
    # Seeing alice's photo through the album is not enough to add it elsewhere, nor here.
    assert [r.status for r in results] == [201, 404]
    removed = services.remove_items(contributor, album, [theirs.pk, photos[0].pk, photos[4].pk])
    assert [r.status for r in removed] == [204, 403, 404]
    with pytest.raises(Refused):
        services.add_items(viewer, album, [photos[4].pk])


def test_renumber_spreads_positions_in_the_order_asked(user, album, photos):
    renumber(album, by=Album.Sort.DATE_DESC)
    assert order(album) == [photos[2].pk, photos[1].pk, photos[0].pk]


def test_too_many_or_no_assets_are_bad_input(user, album):
    with pytest.raises(BadInput):
        services.add_items(user, album, [])
    with pytest.raises(BadInput):
        services.add_items(
            user, album, [f"00000000-0000-0000-0000-{i:012d}" for i in range(services.MAX_BATCH + 1)]
        )
