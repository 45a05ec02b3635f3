"""File operations in a writable library, through the API: the disk and the index change together,
a moved file keeps its id (and what hangs off it), a copy is a new asset of the same content, every
refusal leaves both as they were, and a job interrupted between its disk steps and their index
update is completed from its journal."""

import os

import pytest

from apps.albums import services as albums
from apps.assets import trash
from apps.assets.metadata.sidecars import Folder, sidecar_of
from apps.assets.models import Asset, AssetUserState
from apps.scanning import services
from apps.scanning.fileops import execute
from apps.scanning.fileops import services as fileops
from apps.scanning.models import FileOperation, FileOperationItem
from apps.scanning.scope import Scope

from .conftest import make_jpeg, make_tree

URL = "/api/file-operations/"


@pytest.fixture
def writable(library, library_root):
    library.read_only = False
    library.save()
    make_tree(library_root, 6, per_dir=3)  # d000/IMG_00000..2, d001/IMG_00003..5
    make_jpeg(library_root / "top.jpg", seed=50)
    services.scan_library(library, inline=True)
    return library


def on_disk(root, sidecars: bool = False) -> set[str]:
    """The files a scan indexes (or, with `sidecars`, the XMP sidecars, which it does not)."""
    found = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found |= {os.path.relpath(os.path.join(folder, f), root) for f in files
                  if not f.startswith(".") and f.lower().endswith(".xmp") == sidecars}
    return found


def sidecar(path, rating: int) -> None:
    """An XMP sidecar as darktable or Lightroom writes one (here only a rating)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write('<x:xmpmeta xmlns:x="adobe:ns:meta/">'
                 '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                 f'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="{rating}"/>'
                 "</rdf:RDF></x:xmpmeta>")


def indexed(library) -> set[str]:
    return set(Asset.objects.filter(library=library).values_list("path", flat=True))


def post(client, action, **body):
    return client.post(f"{URL}{action}/", body, format="json")


def test_a_folder_moved_into_a_new_folder_keeps_its_photos_ids_albums_and_ratings_and_a_rescan_finds_nothing(
    writable, library_root, user, user_client
):
    photo = Asset.objects.get(library=writable, path="d000/IMG_00001.jpg")
    AssetUserState.objects.create(user=user, asset=photo, rating=4)
    album = albums.create_album(user, "Trip")
    albums.add_items(user, album, [photo.pk])

    made = post(user_client, "folder", library=writable.pk, path="2024")
    assert made.status_code == 201, made.content
    moved = post(user_client, "move", library=writable.pk, paths=["d000"], destination="2024")
    assert moved.status_code == 200 and moved.json()["state"] == "done", moved.content

    photo.refresh_from_db()
    assert photo.path == "2024/d000/IMG_00001.jpg" and photo.directory == "2024/d000"
    assert AssetUserState.objects.get(asset=photo).rating == 4 and album.items.filter(asset=photo).exists()
    assert on_disk(library_root) == indexed(writable)
    # What the watcher queues after seeing both folders touched, then a whole-library scan.
    watched = services.scan_library(writable, inline=True, scope=Scope.of({"d000": True, "2024": True}))
    run = services.scan_library(writable, inline=True)
    assert (watched.new, watched.moved, watched.missing, run.new, run.moved, run.missing) == (0, 0, 0, 0, 0, 0)
    assert Asset.objects.filter(library=writable).count() == 7


def test_selected_files_move_by_asset_id_and_a_renamed_file_keeps_its_id(writable, library_root, user_client):
    ids = list(Asset.objects.filter(library=writable, directory="d001").values_list("pk", flat=True))
    moved = post(user_client, "move", library=writable.pk, assets=[str(pk) for pk in ids], destination="d000")
    assert moved.status_code == 200 and moved.json()["done"] == 3, moved.content
    assert set(Asset.objects.filter(pk__in=ids).values_list("directory", flat=True)) == {"d000"}

    top = Asset.objects.get(library=writable, path="top.jpg")
    renamed = post(user_client, "rename", library=writable.pk, path="top.jpg", name="cover.jpg")
    assert renamed.status_code == 200, renamed.content
    top.refresh_from_db()
    assert (top.path, top.filename) == ("cover.jpg", "cover.jpg")
    assert (library_root / "cover.jpg").exists() and not (library_root / "top.jpg").exists()
    assert on_disk(library_root) == indexed(writable)


def test_a_photos_sidecars_move_rename_and_copy_with_it_in_its_journal_and_a_rescan_finds_nothing(
    writable, library_root, user_client
):
    sidecar(library_root / "d001" / "IMG_00003.jpg.xmp", 5)  # darktable's name
    sidecar(library_root / "d001" / "IMG_00003.xmp", 4)  # Lightroom's, for the same photo
    sidecar(library_root / "top.XMP", 3)
    photo = Asset.objects.get(library=writable, path="d001/IMG_00003.jpg")

    moved = post(user_client, "move", library=writable.pk, assets=[str(photo.pk)], destination="d000")
    assert moved.status_code == 200 and moved.json()["done"] == 3, moved.content
    journal = FileOperationItem.objects.filter(operation_id=moved.json()["id"]).order_by("seq")
    assert [i.target for i in journal] == ["d000/IMG_00003.jpg", "d000/IMG_00003.jpg.xmp", "d000/IMG_00003.xmp"]
    renamed = post(user_client, "rename", library=writable.pk, path="top.jpg", name="cover.jpg")
    assert renamed.status_code == 200 and renamed.json()["done"] == 2, renamed.content
    copied = post(user_client, "copy", library=writable.pk, paths=["d000/IMG_00003.jpg"], destination="d001")
    assert copied.status_code == 200 and copied.json()["done"] == 3, copied.content

    assert on_disk(library_root, sidecars=True) == {
        "d000/IMG_00003.jpg.xmp", "d000/IMG_00003.xmp", "d001/IMG_00003.jpg.xmp", "d001/IMG_00003.xmp", "cover.XMP"}
    assert (library_root / "d001/IMG_00003.xmp").read_text() == (library_root / "d000/IMG_00003.xmp").read_text()
    assert 'xmp:Rating="4"' in (library_root / "d001/IMG_00003.xmp").read_text()
    photo.refresh_from_db()
    assert photo.path == "d000/IMG_00003.jpg"
    assert on_disk(library_root) == indexed(writable)
    watched = services.scan_library(writable, inline=True, scope=Scope.of({"d000": True, "d001": True, "": False}))
    run = services.scan_library(writable, inline=True)
    assert (watched.new, watched.moved, watched.missing, run.new, run.moved, run.missing) == (0, 0, 0, 0, 0, 0)


def test_a_sidecars_name_taken_at_the_target_refuses_the_operation_before_anything_moves(
    writable, library_root, user_client
):
    sidecar(library_root / "d001" / "IMG_00003.jpg.xmp", 5)
    sidecar(library_root / "d000" / "IMG_00003.jpg.xmp", 1)  # left there by another photo once
    sidecar(library_root / "top.xmp", 2)
    sidecar(library_root / "cover.xmp", 1)
    before = on_disk(library_root), on_disk(library_root, sidecars=True), indexed(writable)
    cases = [
        ("move", {"paths": ["d001/IMG_00003.jpg"], "destination": "d000"}),
        ("copy", {"paths": ["d001/IMG_00003.jpg"], "destination": "d000"}),
        ("rename", {"path": "top.jpg", "name": "cover.jpg"}),
    ]
    for action, body in cases:
        response = post(user_client, action, library=writable.pk, **body)
        assert response.status_code == 409 and "already exists" in response.json()["detail"], response.content
    assert (on_disk(library_root), on_disk(library_root, sidecars=True), indexed(writable)) == before
    assert 'Rating="1"' in (library_root / "d000" / "IMG_00003.jpg.xmp").read_text()


def test_a_sidecar_another_photo_reads_too_stays_with_it(library_root):
    """IMG_1.xmp beside IMG_1.jpg and IMG_1.cr2 (a RAW+JPEG pair) is both photos': moving one leaves it."""
    folder = Folder(["IMG_1.jpg", "IMG_1.cr2", "IMG_1.xmp", "IMG_1.jpg.xmp", "IMG_2.jpg", "IMG_2.XMP"])
    assert folder.going_with("IMG_1.jpg", {"IMG_1.jpg"}) == ["IMG_1.jpg.xmp"]
    assert folder.going_with("IMG_1.jpg", {"IMG_1.jpg", "IMG_1.cr2"}) == ["IMG_1.jpg.xmp", "IMG_1.xmp"]
    assert folder.going_with("IMG_2.jpg", {"IMG_2.jpg"}) == ["IMG_2.XMP"]
    # The reader's rule is the same one: the first sidecar_names entry that is there.
    make_jpeg(library_root / "IMG_1.jpg")
    sidecar(library_root / "IMG_1.xmp", 1)
    assert sidecar_of(library_root / "IMG_1.jpg") == library_root / "IMG_1.xmp"
    sidecar(library_root / "IMG_1.jpg.xmp", 2)
    assert sidecar_of(library_root / "IMG_1.jpg") == library_root / "IMG_1.jpg.xmp"


def test_a_copied_folder_is_new_assets_sharing_the_content_hashes_and_a_rescan_adds_nothing(
    writable, library_root, user_client
):
    copied = post(user_client, "copy", library=writable.pk, paths=["d000"], destination="d001")
    assert copied.status_code == 200 and copied.json()["done"] == 4, copied.content  # a folder + 3 files
    originals = Asset.objects.filter(library=writable, directory="d000")
    copies = Asset.objects.filter(library=writable, directory="d001/d000")
    assert sorted(originals.values_list("content_hash", flat=True)) == sorted(copies.values_list("content_hash", flat=True))
    assert not set(originals.values_list("pk", flat=True)) & set(copies.values_list("pk", flat=True))
    assert (library_root / "d000" / "IMG_00000.jpg").read_bytes() == (library_root / "d001/d000/IMG_00000.jpg").read_bytes()
    run = services.scan_library(writable, inline=True)
    assert (run.new, run.moved, run.missing) == (0, 0, 0)
    assert on_disk(library_root) == indexed(writable)


def test_flattening_gives_clashing_names_a_suffix_keeps_sidecars_with_their_photo_and_overwrites_nothing(
    writable, library_root, user_client
):
    make_jpeg(library_root / "d000" / "a" / "IMG_00000.jpg", seed=60)
    sidecar(library_root / "d000" / "a" / "IMG_00000.jpg.xmp", 1)
    make_jpeg(library_root / "d000" / "a" / "b" / "IMG_00000.jpg", seed=61)
    sidecar(library_root / "d000" / "a" / "b" / "IMG_00000.xmp", 2)
    # A stray sidecar already there: a photo renamed 'IMG_00000 (1).jpg' would wrongly read it.
    sidecar(library_root / "d000" / "IMG_00000 (1).jpg.xmp", 3)
    services.scan_library(writable, inline=True)
    upper = Asset.objects.get(library=writable, path="d000/a/IMG_00000.jpg")
    nested = Asset.objects.get(library=writable, path="d000/a/b/IMG_00000.jpg")

    flat = post(user_client, "flatten", library=writable.pk, path="d000")
    assert flat.status_code == 200 and flat.json()["done"] == 4, flat.content
    names = sorted(os.listdir(library_root / "d000"))
    assert names == ["IMG_00000 (1).jpg", "IMG_00000 (1).jpg.xmp", "IMG_00000 (1).xmp", "IMG_00000 (2).jpg",
                     "IMG_00000 (2).jpg.xmp", "IMG_00000.jpg", "IMG_00001.jpg", "IMG_00002.jpg"]
    contents = {(library_root / "d000" / name).read_bytes() for name in names if name.endswith(".jpg")}
    assert len(contents) == 5  # three files once named alike, none overwritten
    upper.refresh_from_db()
    nested.refresh_from_db()
    assert (upper.path, nested.path) == ("d000/IMG_00000 (2).jpg", "d000/IMG_00000 (1).jpg")
    assert 'Rating="1"' in (library_root / "d000" / "IMG_00000 (2).jpg.xmp").read_text()
    assert 'Rating="2"' in (library_root / "d000" / "IMG_00000 (1).xmp").read_text()
    assert 'Rating="3"' in (library_root / "d000" / "IMG_00000 (1).jpg.xmp").read_text()
    assert on_disk(library_root) == indexed(writable)


def test_refused_operations_say_why_and_change_nothing(writable, library_root, user_client, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, library_root / "link")
    before = on_disk(library_root), indexed(writable)
    cases = [
        (409, "folder", {"path": "d000"}),  # exists
        (404, "folder", {"path": "nowhere/new"}),  # no parent
        # One file that could move, one whose name is taken there (below): neither moves.
        (409, "move", {"paths": ["d001/IMG_00003.jpg"], "destination": "d000", "assets": [
            str(Asset.objects.get(library=writable, path="d001/IMG_00004.jpg").pk)]}),
        (400, "move", {"paths": ["d000"], "destination": "d000"}),  # into itself
        (400, "copy", {"paths": ["d000"], "destination": "d000"}),
        (400, "move", {"paths": ["../etc"], "destination": "d000"}),
        (400, "move", {"paths": ["d000"], "destination": "/tmp"}),
        (400, "folder", {"path": "link/escape"}),  # through a link out of the library
        (400, "move", {"paths": ["link"], "destination": "d000"}),  # nor is a link MediaHub moves
        (404, "rename", {"path": "nothing.jpg", "name": "x.jpg"}),
        (409, "rename", {"path": "top.jpg", "name": "d000"}),
        (400, "rename", {"path": "top.jpg", "name": ".hidden.jpg"}),
        (400, "move", {"destination": "d000"}),  # nothing named
    ]
    (library_root / "d000" / "IMG_00003.jpg").write_bytes(b"already here")
    for code, action, body in cases:
        response = post(user_client, action, library=writable.pk, **body)
        assert response.status_code == code, (action, body, response.content)
        assert response.json()  # {"detail": ...} or the field to blame
    (library_root / "d000" / "IMG_00003.jpg").unlink()
    assert (on_disk(library_root), indexed(writable)) == before
    assert not (outside / "escape").exists()

    writable.read_only = True
    writable.save()
    refused = post(user_client, "folder", library=writable.pk, path="new")
    assert refused.status_code == 409 and "read-only" in refused.json()["detail"]
    assert not (library_root / "new").exists()


def test_a_user_who_only_sees_the_library_may_not_touch_its_files(writable, library_root, other_user, other_client):
    writable.shared_with.add(other_user)
    response = post(other_client, "move", library=writable.pk, paths=["d000"], destination="d001")
    assert response.status_code == 403
    assert (library_root / "d000").is_dir()


def test_deleting_a_folder_sends_its_photos_to_the_trash_beside_their_sidecars_which_go_when_they_do(
    writable, library_root, user, user_client
):
    sidecar(library_root / "d000" / "IMG_00000.jpg.xmp", 1)
    sidecar(library_root / "d000" / "IMG_00001.xmp", 2)
    response = post(user_client, "delete", library=writable.pk, paths=["d000"])
    assert response.status_code == 200 and response.json()["done"] == 3, response.content
    assert Asset.objects.filter(library=writable, directory="d000", deleted_at__isnull=False).count() == 3
    assert Asset.objects.filter(library=writable, deleted_at__isnull=True).count() == 4
    # The trash moves no file: each photo and its sidecar stay paired, so a restore needs nothing more.
    assert on_disk(library_root, sidecars=True) == {"d000/IMG_00000.jpg.xmp", "d000/IMG_00001.xmp"}
    trash.restore(user, [Asset.objects.get(library=writable, path="d000/IMG_00000.jpg").pk])

    emptied = trash.empty(user)
    assert (emptied.deleted, emptied.kept) == (2, [])
    assert on_disk(library_root, sidecars=True) == {"d000/IMG_00000.jpg.xmp"}  # IMG_00001's went with it
    assert on_disk(library_root) == indexed(writable)


def test_a_job_killed_between_its_renames_and_their_index_update_is_completed_from_its_journal(
    writable, library_root, user, settings
):
    settings.MEDIAHUB_FILEOPS_BATCH = 10
    make_tree(library_root / "many", 30, per_dir=30)
    for i in range(0, 30, 3):
        sidecar(library_root / f"many/d000/IMG_{i:05d}.jpg.xmp", 1)
    (library_root / "dest").mkdir()
    services.scan_library(writable, inline=True)
    operation = fileops.move(user, writable.pk, "dest", raw_paths=[f"many/d000/IMG_{i:05d}.jpg" for i in range(30)])
    assert operation.state == "queued" and operation.total == 40  # one job, for a worker
    assert [item.seq for item in execute._next_batch(operation, 1)] == [0, 1]  # a photo with its sidecar
    # What a worker killed mid-batch leaves: the first 15 files renamed on disk, the index not told.
    items = list(operation.items.order_by("seq"))
    for item in items[:15]:
        assert execute.step_on_disk(writable.root_path, operation.pk, item) == ""
    ids = dict(Asset.objects.filter(library=writable, directory="many/d000").values_list("filename", "pk"))

    done = fileops.run_queued(operation.pk)
    assert (done.state, done.done, done.failed) == ("done", 40, 0)
    assert not operation.items.exclude(state=FileOperationItem.State.DONE).exists()
    assert dict(Asset.objects.filter(library=writable, directory="dest", filename__in=ids)
                .values_list("filename", "pk")) == ids
    assert on_disk(library_root) == indexed(writable)
    assert on_disk(library_root, sidecars=True) == {f"dest/IMG_{i:05d}.jpg.xmp" for i in range(0, 30, 3)}
    assert fileops.run_queued(operation.pk) is None  # a doubled task finds nothing to claim


def test_one_operation_at_a_time_per_library(writable, user):
    FileOperation.objects.create(library=writable, user=user, kind="move", state="running")
    with pytest.raises(fileops.Conflict):
        fileops.make_folder(user, writable.pk, "new")


def test_only_a_superadmin_makes_a_library_writable_and_an_upload_library_stays_writable(
    library, user, user_client, superuser_client
):
    assert user_client.patch(f"/api/libraries/{library.pk}/", {"read_only": False}, format="json").status_code == 403
    answer = superuser_client.patch(f"/api/libraries/{library.pk}/", {"read_only": False}, format="json")
    assert answer.status_code == 200 and answer.json()["read_only"] is False
    library.refresh_from_db()
    assert not library.read_only
    library.is_upload = True
    library.save()
    refused = superuser_client.patch(f"/api/libraries/{library.pk}/", {"read_only": True}, format="json")
    assert refused.status_code == 400 and "read_only" in refused.json()
