import pytest

from apps.scanning.models import Library, ScanRun
from tests.factories import LibraryFactory

from .conftest import make_tree

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def superuser_web(client, superuser):
    client.force_login(superuser)
    return client


def test_users_see_their_libraries_without_management_controls(client, user, other_user):
    LibraryFactory(owner=user, name="Mine")
    LibraryFactory(owner=other_user, name="Theirs")
    client.force_login(user)
    html = client.get("/libraries/").content.decode()
    assert "Mine" in html and "Theirs" not in html
    assert "Add a library" not in html and "Scan now" not in html
    assert client.post("/libraries/add/", {"path": "/tmp"}).status_code == 403
    mine = Library.objects.get(name="Mine")
    assert client.post(f"/libraries/{mine.pk}/scan/").status_code == 403
    theirs = Library.objects.get(name="Theirs")
    assert client.post(f"/libraries/{theirs.pk}/remove/").status_code == 404


def test_a_superuser_adds_renames_scans_and_watches_progress(superuser_web, library_root):
    make_tree(library_root, 3)
    page = superuser_web.get("/libraries/").content.decode()
    assert "Add a library" in page
    bad = superuser_web.post("/libraries/add/", {"path": "/no/such/folder"})
    assert bad.status_code == 400 and "does not exist" in bad.content.decode()
    fragment = superuser_web.post(
        "/libraries/add/", {"path": str(library_root), "name": "Trip"}, **HX
    ).content.decode()
    assert "Trip" in fragment and "<html" not in fragment
    library = Library.objects.get(name="Trip")
    superuser_web.post(f"/libraries/{library.pk}/rename/", {"name": "Big trip"}, **HX)
    assert Library.objects.get(pk=library.pk).name == "Big trip"
    superuser_web.post(f"/libraries/{library.pk}/scan/", **HX)
    run = ScanRun.objects.get(library=library)
    progress = superuser_web.get(f"/scans/{run.pk}/progress/", **HX).content.decode()
    assert 'hx-trigger="every 1s"' in progress and "queued" in progress
    ScanRun.objects.filter(pk=run.pk).update(state="done", files_seen=3, new=3)
    progress = superuser_web.get(f"/scans/{run.pk}/progress/", **HX).content.decode()
    assert "every 1s" not in progress and "3 new" in progress


def test_the_picker_lists_folders_and_refuses_paths_outside_the_roots(superuser_web, tmp_path, settings):
    settings.MEDIAHUB_LIBRARY_ROOTS = [str(tmp_path)]
    (tmp_path / "Pictures").mkdir()
    html = superuser_web.get("/libraries/browse/", {"path": str(tmp_path)}, **HX).content.decode()
    assert "Pictures" in html and "Use this folder" in html
    html = superuser_web.get("/libraries/browse/", {"path": "/etc"}, **HX).content.decode()
    assert "MEDIAHUB_LIBRARY_ROOTS" in html and "passwd" not in html
