import pytest

from apps.assets.models import Asset
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_disk(library, library_root):
    """Alice's library, made writable, with two real files."""
    library.read_only = False
    library.save(update_fields=["read_only"])
    assets = []
    for name in ("a.jpg", "b.jpg"):
        (library_root / name).write_bytes(b"\xff\xd8data")
        assets.append(AssetFactory(library=library, path=name))
    return library, assets


def test_delete_moves_to_the_trash_and_keeps_the_file(user_client, on_disk, library_root):
    _, (a, _) = on_disk
    assert user_client.delete(f"/api/assets/{a.id}/").status_code == 204
    assert Asset.objects.get(pk=a.pk).deleted_at is not None
    assert (library_root / "a.jpg").exists()
    assert user_client.get(f"/api/assets/{a.id}/").status_code == 404


def test_permanent_delete_removes_the_original(user_client, on_disk, library_root):
    _, (a, _) = on_disk
    assert user_client.delete(f"/api/assets/{a.id}/?permanent=true").status_code == 204
    assert not (library_root / "a.jpg").exists()
    assert not Asset.objects.filter(pk=a.pk).exists()


def test_permanent_delete_in_a_read_only_library_forgets_the_entry_and_keeps_the_file(
    user_client, on_disk, library_root
):
    library, (a, _) = on_disk
    library.read_only = True
    library.save()
    assert user_client.delete(f"/api/assets/{a.id}/?permanent=true").status_code == 204
    assert (library_root / "a.jpg").exists()
    assert not Asset.objects.filter(pk=a.pk).exists()


def test_permanent_delete_of_a_file_that_cannot_be_removed_is_409_and_loses_nothing(
    user_client, on_disk, library_root
):
    library, _ = on_disk
    (library_root / "odd.jpg").mkdir()  # os.remove refuses a directory, whoever runs the tests
    odd = AssetFactory(library=library, path="odd.jpg")
    response = user_client.delete(f"/api/assets/{odd.id}/?permanent=true")
    assert response.status_code == 409
    assert "cannot delete" in response.json()["detail"]
    assert (library_root / "odd.jpg").exists() and Asset.objects.filter(pk=odd.pk).exists()


def test_shared_viewer_cannot_delete(api_client, on_disk, other_user):
    library, (a, _) = on_disk
    library.shared_with.add(other_user)
    api_client.force_authenticate(other_user)
    assert api_client.get(f"/api/assets/{a.id}/").status_code == 200
    assert api_client.delete(f"/api/assets/{a.id}/").status_code == 403


def test_bulk_delete_reports_each_item(user_client, on_disk, other_user, library_root):
    _, (a, b) = on_disk
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    response = user_client.post(
        "/api/assets/bulk-delete/", {"ids": [str(a.id), str(theirs.id), str(b.id)], "permanent": True}, format="json"
    )
    assert response.status_code == 200
    assert [(r["id"], r["status"]) for r in response.json()] == [
        (str(a.id), 204), (str(theirs.id), 404), (str(b.id), 204)
    ]
    assert not (library_root / "a.jpg").exists() and not (library_root / "b.jpg").exists()
    assert Asset.objects.filter(pk=theirs.pk).exists()


def test_bulk_delete_validates_its_body(user_client, user):
    assert user_client.post("/api/assets/bulk-delete/", {"ids": []}, format="json").status_code == 400
    assert user_client.post("/api/assets/bulk-delete/", {"ids": ["nope"]}, format="json").status_code == 400


def test_rotate_refuses_other_angles(user_client, on_disk):
    _, (a, _) = on_disk
    response = user_client.post(f"/api/assets/{a.id}/rotate/", {"degrees": 45}, format="json")
    assert response.status_code == 400 and "degrees" in response.json()
    assert Asset.objects.get(pk=a.pk).user_rotation == 0


def test_rotate_stores_the_angle_and_the_worker_remakes_turned_derivatives(
    user_client, on_disk, library_root, django_capture_on_commit_callbacks
):
    from django_q.models import OrmQ
    from PIL import Image

    from apps.assets.derivatives.storage import Derivative, existing
    from apps.scanning.pipeline import run_stages

    _, (a, _) = on_disk
    Image.new("RGB", (400, 200), "red").save(library_root / "a.jpg")
    run_stages([a.pk])
    with Image.open(existing(a.pk, Derivative.PREVIEW)) as before:
        assert before.size == (400, 200)
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(f"/api/assets/{a.id}/rotate/", {"degrees": 90}, format="json")
    assert response.status_code == 200 and response.json()["user_rotation"] == 90
    assert existing(a.pk, Derivative.PREVIEW) is None, "old derivatives go at once"
    assert OrmQ.objects.count() == 1, "the worker is asked to make them again"
    run_stages([a.pk])  # what that queued task runs
    with Image.open(existing(a.pk, Derivative.PREVIEW)) as after:
        assert after.size == (200, 400)
