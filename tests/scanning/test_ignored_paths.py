"""A file deleted for good in a read-only library stays in its folder: scans leave it out until a
manager includes it again (apps/scanning/ignored.py)."""

import pytest

from apps.assets import trash
from apps.assets.models import Asset
from apps.scanning import services
from apps.scanning.models import IgnoredPath
from apps.scanning.scope import Scope

from .conftest import make_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(library, library_root):
    make_jpeg(library_root / "2024" / "keep.jpg", seed=1)
    make_jpeg(library_root / "2024" / "gone.jpg", seed=2)
    services.scan_library(library)
    return {a.path: a for a in Asset.objects.filter(library=library)}


def paths(library) -> set[str]:
    return set(Asset.objects.filter(library=library).values_list("path", flat=True))


def test_a_file_deleted_for_good_is_left_out_of_every_scan_until_it_is_included_again(
    library, library_root, indexed, user_client, superuser_client
):
    response = user_client.delete(f"/api/assets/{indexed['2024/gone.jpg'].pk}/?permanent=true")
    assert response.status_code == 204
    assert (library_root / "2024" / "gone.jpg").exists()  # a read-only library's file is never touched

    services.scan_library(library)
    services.scan_library(library, full=True)
    services.scan_library(library, scope=Scope.of({"2024": False}))  # the watcher's
    assert paths(library) == {"2024/keep.jpg"}

    listed = superuser_client.get(f"/api/libraries/{library.pk}/ignored/").json()
    assert [entry["path"] for entry in listed] == ["2024/gone.jpg"]
    response = superuser_client.post(
        f"/api/libraries/{library.pk}/include/", {"ids": [listed[0]["id"]]}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json() == []
    services.scan_library(library)
    assert paths(library) == {"2024/keep.jpg", "2024/gone.jpg"}


def test_emptying_the_trash_leaves_its_read_only_files_out_of_the_next_scan(library, indexed, user):
    trash.move_to_trash(Asset.objects.filter(pk=indexed["2024/gone.jpg"].pk))
    assert trash.empty(user).deleted == 1
    services.scan_library(library)
    assert paths(library) == {"2024/keep.jpg"}


def test_a_writable_librarys_deletion_ignores_nothing_its_file_is_removed(library, library_root, indexed, user_client):
    library.read_only = False
    library.save(update_fields=["read_only"])
    assert user_client.delete(f"/api/assets/{indexed['2024/gone.jpg'].pk}/?permanent=true").status_code == 204
    assert not (library_root / "2024" / "gone.jpg").exists()
    assert not IgnoredPath.objects.exists()


def test_the_libraries_page_lists_ignored_files_to_managers_who_include_them_again(
    library, indexed, user_client, user, superuser, client
):
    user_client.delete(f"/api/assets/{indexed['2024/gone.jpg'].pk}/?permanent=true")
    entry = IgnoredPath.objects.get(library=library)
    client.force_login(user)
    assert "left out of scans" not in client.get("/libraries/").content.decode()  # not a manager
    client.force_login(superuser)
    page = client.get("/libraries/").content.decode()
    assert "1 deleted file left out of scans" in page and "2024/gone.jpg" in page

    response = client.post(f"/libraries/{library.pk}/include/", {"ignored": [entry.pk]})
    assert response.status_code == 302
    assert not IgnoredPath.objects.exists()
