"""The trash: deleting moves there, restore brings back everything, the purge and "empty" delete for
good (originals only in writable libraries), and a user's trash holds only what they may delete."""

import importlib
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from apps.albums import services as albums
from apps.assets import tasks, trash
from apps.assets.derivatives.storage import Derivative, path_for
from apps.assets.models import Asset, AssetUserState
from apps.people.models import Face
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def writable(library):
    library.read_only = False
    library.save(update_fields=["read_only"])
    return library


def on_disk(library, root, name, **fields):
    (root / name).write_bytes(b"\xff\xd8data")
    return AssetFactory(library=library, path=name, **fields)


def with_derivative(asset):
    thumb = path_for(asset.pk, Derivative.THUMBNAIL)
    thumb.parent.mkdir(parents=True, exist_ok=True)
    thumb.write_bytes(b"RIFFthumb")
    return thumb


def trashed_days_ago(asset, days):
    Asset.objects.filter(pk=asset.pk).update(deleted_at=timezone.now() - timedelta(days=days))


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_restore_brings_back_the_same_asset_with_its_faces_people_albums_and_rating(user, user_client, library):
    photo = AssetFactory(library=library)
    ada = PersonFactory(name="Ada")
    face = FaceFactory(asset=photo, person=ada)
    album = albums.create_album(user, "Summer")
    albums.add_items(user, album, [photo.pk])
    AssetUserState.objects.create(user=user, asset=photo, favorite=True, rating=4)

    assert user_client.delete(f"/api/assets/{photo.pk}/").status_code == 204
    album.refresh_from_db()
    assert album.item_count == 0
    assert user_client.get(f"/api/people/{ada.pk}/").status_code == 404  # no face of hers left in sight

    response = user_client.post("/api/trash/restore/", {"ids": [str(photo.pk)]}, format="json")

    assert response.status_code == 200 and response.json() == {"restored": 1}
    body = user_client.get(f"/api/assets/{photo.pk}/").json()
    assert body["my_state"] == {"favorite": True, "rating": 4, "rejected": False}
    assert Face.objects.get(pk=face.pk).person_id == ada.pk
    assert user_client.get(f"/api/people/{ada.pk}/").json()["face_count"] == 1
    album.refresh_from_db()
    assert album.item_count == 1
    assert [row["asset"]["id"] for row in user_client.get(f"/api/albums/{album.pk}/items/").json()["results"]] == [
        str(photo.pk)
    ]


def test_trashed_assets_are_absent_from_lists_search_people_albums_and_the_timeline(user, user_client, client, library):
    from apps.search.services import index_assets

    kept, gone = AssetFactory(library=library, path="keep/beach.jpg"), AssetFactory(library=library, path="gone/beach.jpg")
    index_assets([kept, gone])
    ada = PersonFactory(name="Ada")
    FaceFactory(asset=kept, person=ada)
    FaceFactory(asset=gone, person=ada)
    album = albums.create_album(user, "Beach")
    albums.add_items(user, album, [kept.pk, gone.pk])
    trash.move_to_trash(Asset.objects.filter(pk=gone.pk))

    assert ids(user_client.get("/api/assets/")) == [str(kept.pk)]
    assert ids(user_client.get("/api/search/", {"q": "beach"})) == [str(kept.pk)]
    assert ids(user_client.get(f"/api/people/{ada.pk}/assets/")) == [str(kept.pk)]
    assert user_client.get(f"/api/people/{ada.pk}/").json()["face_count"] == 1
    assert user_client.get(f"/api/albums/{album.pk}/").json()["item_count"] == 1
    assert user_client.get(f"/api/libraries/{library.pk}/").json()["asset_count"] == 1
    client.force_login(user)
    page = client.get("/").content.decode()
    assert str(kept.pk) in page and str(gone.pk) not in page
    assert client.get(f"/photos/{gone.pk}/").status_code == 200  # from the Trash page, to restore it
    assert ids(user_client.get("/api/trash/")) == [str(gone.pk)]


def test_a_link_of_hand_picked_photos_counts_only_those_not_in_the_trash(user, user_client, library):
    a, b = AssetFactory(library=library), AssetFactory(library=library)
    link = albums.create_link(user, asset_ids=[a.pk, b.pk])
    trash.move_to_trash(Asset.objects.filter(pk=b.pk))
    assert user_client.get(f"/api/links/{link.pk}/").json()["asset_count"] == 1


def test_a_duplicate_group_left_with_one_photo_outside_the_trash_is_no_longer_listed(user, user_client, library):
    from apps.assets.models import DuplicateGroup, DuplicateMember

    group = DuplicateGroup.objects.create(owner=user, kind="exact", signature="abc")
    a, b = AssetFactory(library=library, size=10), AssetFactory(library=library, size=20)
    DuplicateMember.objects.create(group=group, asset=a, distance=0)
    DuplicateMember.objects.create(group=group, asset=b, distance=0, is_reference=True)
    assert ids(user_client.get("/api/duplicates/")) == [group.pk]

    assert user_client.delete(f"/api/assets/{a.pk}/").status_code == 204

    assert ids(user_client.get("/api/duplicates/")) == []
    assert user_client.get("/api/duplicates/summary/").json()["assets"] == 0


def test_the_trash_lists_newest_trashed_first_with_days_left_in_keyset_pages(user_client, library, settings):
    settings.MEDIAHUB_TRASH_DAYS = 30
    old, recent, newest = (AssetFactory(library=library) for _ in range(3))
    trashed_days_ago(old, 29.5)
    trashed_days_ago(recent, 10)
    trashed_days_ago(newest, 0)
    AssetFactory(library=library)  # not in the trash

    first = user_client.get("/api/trash/", {"page_size": 2}).json()
    second = user_client.get(first["next"]).json()

    rows = first["results"] + second["results"]
    assert [row["id"] for row in rows] == [str(newest.pk), str(recent.pk), str(old.pk)]
    assert [row["days_left"] for row in rows] == [30, 20, 1]
    assert second["next"] is None


def test_a_users_trash_holds_only_what_they_may_delete(user, other_user, api_client, library):
    library.shared_with.add(other_user)
    mine = AssetFactory(library=library, deleted_at=timezone.now())
    api_client.force_authenticate(other_user)

    assert ids(api_client.get("/api/trash/")) == []
    refused = api_client.post("/api/trash/restore/", {"ids": [str(mine.pk)]}, format="json")
    assert refused.status_code == 404 and refused.json()["not_found"] == [str(mine.pk)]
    assert api_client.get(f"/api/assets/{mine.pk}/original").status_code == 404
    assert api_client.post("/api/trash/empty/").json() == {"deleted": 0, "kept": []}
    assert Asset.objects.get(pk=mine.pk).deleted_at is not None


def test_restoring_an_id_not_in_the_trash_restores_nothing(user_client, library):
    trashed, alive = AssetFactory(library=library, deleted_at=timezone.now()), AssetFactory(library=library)
    response = user_client.post("/api/trash/restore/", {"ids": [str(trashed.pk), str(alive.pk)]}, format="json")
    assert response.status_code == 404 and response.json()["not_found"] == [str(alive.pk)]
    assert Asset.objects.get(pk=trashed.pk).deleted_at is not None


def test_restore_all_empties_the_trash_back_into_the_library(user_client, library):
    trashed = [AssetFactory(library=library, deleted_at=timezone.now()) for _ in range(3)]
    assert user_client.post("/api/trash/restore-all/").json() == {"restored": 3}
    assert set(ids(user_client.get("/api/assets/"))) == {str(a.pk) for a in trashed}


def test_bulk_delete_without_permanent_trashes(user_client, writable, library_root):
    a, b = on_disk(writable, library_root, "a.jpg"), on_disk(writable, library_root, "b.jpg")
    response = user_client.post("/api/assets/bulk-delete/", {"ids": [str(a.pk), str(b.pk)]}, format="json")
    assert [row["status"] for row in response.json()] == [204, 204]
    assert Asset.objects.filter(deleted_at__isnull=False).count() == 2
    assert (library_root / "a.jpg").exists() and (library_root / "b.jpg").exists()


def test_empty_deletes_originals_in_a_writable_library_and_derivatives_always(user_client, writable, library_root):
    photo = on_disk(writable, library_root, "a.jpg", deleted_at=timezone.now())
    thumb = with_derivative(photo)

    assert user_client.post("/api/trash/empty/").json() == {"deleted": 1, "kept": []}

    assert not Asset.objects.filter(pk=photo.pk).exists()
    assert not (library_root / "a.jpg").exists()
    assert not thumb.exists()


def test_empty_in_a_read_only_library_forgets_the_entry_and_leaves_the_file(user_client, library, library_root):
    assert library.read_only
    photo = on_disk(library, library_root, "a.jpg", deleted_at=timezone.now())
    thumb = with_derivative(photo)

    assert user_client.post("/api/trash/empty/").json() == {"deleted": 1, "kept": []}

    assert not Asset.objects.filter(pk=photo.pk).exists()
    assert (library_root / "a.jpg").exists()
    assert not thumb.exists()


def test_a_file_that_cannot_be_removed_stays_in_the_trash_with_the_reason(user_client, writable, library_root):
    (library_root / "odd.jpg").mkdir()
    odd = AssetFactory(library=writable, path="odd.jpg", deleted_at=timezone.now())
    fine = on_disk(writable, library_root, "a.jpg", deleted_at=timezone.now())

    body = user_client.post("/api/trash/empty/").json()

    assert body["deleted"] == 1 and [row["id"] for row in body["kept"]] == [str(odd.pk)]
    assert "cannot delete" in body["kept"][0]["detail"]
    assert Asset.objects.filter(pk=odd.pk, deleted_at__isnull=False).exists()
    assert not Asset.objects.filter(pk=fine.pk).exists()


def test_the_purge_deletes_for_good_only_what_is_older_than_the_trash_days(writable, library_root, settings):
    settings.MEDIAHUB_TRASH_DAYS = 7
    expired = on_disk(writable, library_root, "old.jpg")
    recent = on_disk(writable, library_root, "new.jpg")
    alive = on_disk(writable, library_root, "alive.jpg")
    trashed_days_ago(expired, 8)
    trashed_days_ago(recent, 6)

    assert tasks.purge_trash() == "1 deleted for good, 0 kept"

    assert set(Asset.objects.values_list("pk", flat=True)) == {recent.pk, alive.pk}
    assert not (library_root / "old.jpg").exists()
    assert (library_root / "new.jpg").exists() and (library_root / "alive.jpg").exists()


def test_the_purge_runs_daily_from_a_schedule_the_admin_can_edit():
    from django.apps import apps

    migration = importlib.import_module("apps.assets.migrations.0005_trash_order_purge_schedule")
    Schedule.objects.filter(name="Purge trash").delete()  # a transactional test may have flushed it
    migration.add_purge_schedule(apps, None)
    schedule = Schedule.objects.get(name="Purge trash")
    assert schedule.func == "apps.assets.tasks.purge_trash"
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1
    assert timezone.now() < schedule.next_run <= timezone.now() + timedelta(days=1)

    Schedule.objects.filter(pk=schedule.pk).update(schedule_type=Schedule.WEEKLY)  # an admin's edit
    migration.add_purge_schedule(apps, None)
    assert Schedule.objects.get(name="Purge trash").schedule_type == Schedule.WEEKLY, "left as edited"


def test_a_trash_is_exactly_what_was_trashed_in_its_users_own_libraries(
    user, other_user, admin_user, superuser, library
):
    shared = LibraryFactory(owner=other_user)
    shared.shared_with.add(user)
    superusers = LibraryFactory(owner=superuser)
    for owner_library in (library, shared, superusers):
        AssetFactory(library=owner_library, deleted_at=timezone.now())
        AssetFactory(library=owner_library)
    for who in (user, other_user, admin_user, superuser):
        expected = Asset.objects.filter(library__owner=who, deleted_at__isnull=False)
        assert set(trash.trash_of(who)) == set(expected), who
    # The superadmin may delete anything, yet emptying their trash leaves the family's alone.
    trash.empty(superuser)
    assert Asset.objects.filter(deleted_at__isnull=False).count() == 2
