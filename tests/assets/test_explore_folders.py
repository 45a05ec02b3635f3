"""Folders: /api/folders/ (subfolders, counts, covers), the `directory` asset filter and the pages."""

from datetime import UTC, datetime

import pytest

from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(library):
    def put(path, day=1):
        return AssetFactory(library=library, path=path, taken_at=datetime(2024, 1, day, tzinfo=UTC))

    return {
        "root": put("top.jpg"),
        "rome": [put("2024/Rome/a.jpg", 2), put("2024/Rome/b.jpg", 3)],
        "florence": put("2024/Rome/Florence/c.jpg", 4),
        "year": put("2024/d.jpg", 5),
        "old": put("2019/e.jpg", 6),
        "trashed": AssetFactory(library=library, path="2019/gone.jpg", deleted_at=datetime(2024, 2, 1, tzinfo=UTC)),
    }


def test_a_folder_lists_its_subfolders_with_counts_and_covers(user_client, library, tree):
    root = user_client.get("/api/folders/", {"library": library.pk}).json()
    assert (root["path"], root["count"], root["parent"]) == ("", 1, None)
    assert [(f["name"], f["path"], f["count"]) for f in root["folders"]] == [("2019", "2019", 1), ("2024", "2024", 4)]
    assert str(tree["rome"][1].pk) in root["folders"][1]["cover"]  # the newest file of its fullest folder
    rome = user_client.get("/api/folders/", {"library": library.pk, "path": "2024/Rome/"}).json()
    assert (rome["path"], rome["count"], rome["parent"]) == ("2024/Rome", 2, "2024")
    assert [c["name"] for c in rome["breadcrumbs"]] == [library.name, "2024", "Rome"]
    assert [(f["name"], f["count"]) for f in rome["folders"]] == [("Florence", 1)]


def test_the_directory_filter_lists_only_the_folders_own_files(user_client, library, tree):
    def ids(directory):
        body = user_client.get("/api/assets/", {"library": library.pk, "directory": directory}).json()
        return [row["id"] for row in body["results"]]

    assert ids("2024/Rome") == [str(a.pk) for a in reversed(tree["rome"])]
    assert ids("/") == [str(tree["root"].pk)]
    assert user_client.get("/api/assets/", {"directory": "../etc"}).status_code == 400


@pytest.mark.parametrize("path", ["..", "2024/../..", "/etc", "2024//Rome", "a\x00b"])
def test_a_path_that_could_leave_the_library_is_bad_input(user_client, library, path):
    response = user_client.get("/api/folders/", {"library": library.pk, "path": path})
    assert response.status_code == 400 and "path" in response.json()


def test_someone_elses_library_is_not_found(client, other_client, other_user, library, tree):
    assert other_client.get("/api/folders/", {"library": library.pk}).status_code == 404
    client.force_login(other_user)
    assert client.get(f"/folders/{library.pk}/").status_code == 404
    assert other_client.get("/api/folders/", {"library": "x"}).status_code == 400


def test_the_folder_page_has_breadcrumbs_subfolders_and_its_files(client, user, library, tree):
    client.force_login(user)
    assert f'href="/folders/{library.pk}/"' in client.get("/folders/").content.decode()
    page = client.get(f"/folders/{library.pk}/", {"path": "2024/Rome"}).content.decode()
    assert f'href="/folders/{library.pk}/?path=2024"' in page and 'aria-current="page">Rome<' in page
    assert 'data-folder="Florence"' in page
    assert all(f'data-asset="{a.pk}"' in page for a in tree["rome"]) and f'data-asset="{tree["florence"].pk}"' not in page
    assert f"/photos/{tree['rome'][0].pk}/?library={library.pk}&amp;directory=2024%2FRome" in page
    assert client.get(f"/folders/{library.pk}/", {"path": "../x"}).status_code == 400
    LibraryFactory()  # someone else's library is not listed
    assert client.get("/folders/").content.decode().count('class="folder-card"') == 1
