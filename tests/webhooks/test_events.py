"""Events reach the hooks whose owner sees what they are about, once the work commits, and no other:
no webhook tells an admin about another user's private photos."""

import io

import pytest
from django.db import transaction

from apps.albums import services as albums
from apps.assets.models import Asset
from apps.people.services import people
from apps.people.services.assignment import assign_faces
from apps.scanning import services as scanning
from apps.scanning.uploads import services as uploads
from apps.webhooks.models import Delivery
from tests.factories import AssetFactory, LibraryFactory
from tests.people.factories import FaceFactory, PersonFactory
from tests.scanning.conftest import jpeg_bytes, make_tree

pytestmark = pytest.mark.django_db


def heard(hook) -> list[tuple[str, dict]]:
    return [(d.event, d.payload) for d in Delivery.objects.filter(hook=hook).order_by("created", "event")]


def test_an_album_shared_is_heard_only_by_hooks_whose_admin_owner_sees_the_album(
    alice, bob, admin, root, hook_for, django_capture_on_commit_callbacks
):
    admins_hook, roots_hook = hook_for(admin, "album.shared"), hook_for(root, "album.shared")
    # bob sees the album once it is shared with him, but a hook of a plain user (an admin since
    # demoted) hears nothing: only admins' hooks do.
    bobs_hook = hook_for(bob, "album.shared")
    album = albums.create_album(alice, "Holidays")

    with django_capture_on_commit_callbacks(execute=True):
        albums.add_member(alice, album, bob.pk)
    assert heard(roots_hook) == [
        ("album.shared", {"album": album.pk, "via": "member", "user": bob.pk, "role": "viewer"})
    ]
    assert heard(admins_hook) == [] and heard(bobs_hook) == []

    own = albums.create_album(admin, "Team")
    with django_capture_on_commit_callbacks(execute=True):
        link = albums.create_link(admin, album=own)
        albums.add_member(admin, own, bob.pk)  # ... and a role change is no new share:
        albums.add_member(admin, own, bob.pk, role="contributor")
    assert heard(admins_hook) == [
        ("album.shared", {"album": own.pk, "via": "link", "link": link.pk}),
        ("album.shared", {"album": own.pk, "via": "member", "user": bob.pk, "role": "viewer"}),
    ]


def test_work_rolled_back_is_never_heard_and_unsubscribed_events_are_not_sent(
    alice, bob, root, hook_for, django_capture_on_commit_callbacks
):
    sharing, scans = hook_for(root, "album.shared"), hook_for(root, "scan.finished")
    album = albums.create_album(alice, "Holidays")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            albums.add_member(alice, album, bob.pk)
            raise RuntimeError("something later in the request failed")
    assert heard(sharing) == []
    with django_capture_on_commit_callbacks(execute=True):
        albums.add_member(alice, album, bob.pk)
    assert len(heard(sharing)) == 1 and heard(scans) == []


def test_a_scan_tells_its_new_assets_and_its_end_with_counts_and_ids_only(
    alice, admin, root, hook_for, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIAHUB_PIPELINE_STAGES = []
    make_tree(tmp_path / "photos", 3)
    library = LibraryFactory(owner=alice, root_path=str(tmp_path / "photos"))
    roots_hook = hook_for(root, "scan.finished", "assets.added")
    admins_hook = hook_for(admin, "scan.finished", "assets.added")

    with django_capture_on_commit_callbacks(execute=True):
        run = scanning.scan_library(library, inline=True)

    (added, new), (finished, end) = heard(roots_hook)
    assert (added, finished) == ("assets.added", "scan.finished")
    ids = {str(pk) for pk in Asset.objects.filter(library=library).values_list("pk", flat=True)}
    assert (new["library"], new["count"], set(new["assets"]), new["scan"]) == (library.pk, 3, ids, run.pk)
    assert end == {"scan": run.pk, "library": library.pk, "state": "done", "files_seen": 3, "new": 3,
                   "changed": 0, "moved": 0, "missing": 0, "errors": 0}
    assert heard(admins_hook) == []  # alice's library is not the admin's to see


def test_an_upload_tells_it_is_done_and_the_new_asset_but_a_duplicate_adds_none(
    alice, root, hook_for, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIAHUB_UPLOAD_DIR = tmp_path / "uploads"
    hook = hook_for(root, "upload.done", "assets.added")
    data = jpeg_bytes(7)
    with django_capture_on_commit_callbacks(execute=True):
        first = uploads.ingest_file(alice, io.BytesIO(data), "beach.jpg", len(data))
    with django_capture_on_commit_callbacks(execute=True):
        again = uploads.ingest_file(alice, io.BytesIO(data), "beach-again.jpg", len(data))

    library = first.asset.library_id
    assert [event for event, _ in heard(hook)] == ["assets.added", "upload.done", "upload.done"]
    (_, added), (_, done), (_, duplicate) = heard(hook)
    assert added == {"library": library, "count": 1, "assets": [str(first.asset_id)], "upload": str(first.pk)}
    assert done == {"upload": str(first.pk), "asset": str(first.asset_id), "library": library,
                    "outcome": "created", "size": len(data)}
    assert (duplicate["upload"], duplicate["asset"], duplicate["outcome"]) == (
        str(again.pk), str(first.asset_id), "duplicate"
    )


def test_naming_a_person_is_heard_by_hooks_whose_owner_sees_the_persons_photos(
    alice, admin, root, hook_for, django_capture_on_commit_callbacks
):
    photo = AssetFactory(library=LibraryFactory(owner=alice))
    person = PersonFactory(name="")
    FaceFactory(asset=photo, person=person)
    roots_hook, admins_hook = hook_for(root, "person.named"), hook_for(admin, "person.named")

    with django_capture_on_commit_callbacks(execute=True):
        people.update_person(alice, person, {"name": "Ada"})
        people.update_person(alice, person, {"name": "Ada"})  # the same name: nothing new
        people.update_person(alice, person, {"hidden": True})
        created = assign_faces(alice, [FaceFactory(asset=photo)], name="Grace")

    assert heard(roots_hook) == [
        ("person.named", {"person": person.pk, "name": "Ada"}),
        ("person.named", {"person": created.pk, "name": "Grace"}),
    ]
    assert heard(admins_hook) == []
