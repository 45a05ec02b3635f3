"""Paths the file system refuses or cannot name in UTF-8: the folder picker and "add library" say
so with a 400 naming `path`, or simply work."""

import os

import pytest

from apps.scanning import services
from apps.scanning.models import Library

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 300  # NAME_MAX is 255 bytes on Linux file systems


@pytest.fixture
def odd_folder(tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    raw = os.fsencode(folder)
    open(raw + b"/caf\xe9.jpg", "wb").close()  # Latin-1 bytes, not UTF-8
    os.mkdir(raw + b"/\xff\xfe-album")
    (folder / "plain.jpg").touch()
    return folder


def test_the_folder_picker_lists_names_that_are_not_utf8_with_replacement_characters(
    superuser_client, odd_folder
):
    response = superuser_client.get("/api/libraries/browse/", {"path": str(odd_folder)})

    assert response.status_code == 200
    entries = {entry["name"]: entry for entry in response.json()["entries"]}
    assert set(entries) == {"caf\ufffd.jpg", "\ufffd\ufffd-album", "plain.jpg"}
    assert entries["\ufffd\ufffd-album"]["is_dir"] and not entries["caf\ufffd.jpg"]["is_dir"]
    assert entries["plain.jpg"]["path"] == str(odd_folder / "plain.jpg")


def test_the_folder_picker_page_lists_them_too(client, superuser, odd_folder):
    client.force_login(superuser)
    response = client.get("/libraries/browse/", {"path": str(odd_folder)})
    assert response.status_code == 200
    assert "caf\ufffd.jpg" in response.content.decode() and "\ufffd\ufffd-album" in response.content.decode()


@pytest.mark.parametrize("path", ["/tmp/\x00", "/tmp/a\x00b/c"])
def test_a_path_with_a_nul_character_is_a_400(superuser_client, path):
    browse = superuser_client.get("/api/libraries/browse/", {"path": path})
    assert browse.status_code == 400 and "path" in browse.json()
    add = superuser_client.post("/api/libraries/", {"path": path}, format="json")
    assert add.status_code == 400 and "path" in add.json()
    with pytest.raises(services.LibraryPathError, match="NUL"):
        services.validate_root(path)


def test_adding_a_library_whose_path_has_a_300_character_component_is_a_400_naming_path(
    superuser_client, tmp_path
):
    path = str(tmp_path / TOO_LONG / "photos")
    response = superuser_client.post("/api/libraries/", {"path": path}, format="json")

    assert response.status_code == 400
    assert "File name too long" in response.json()["path"][0]
    assert not Library.objects.exists()


def test_browsing_a_path_with_a_300_character_component_is_a_400_naming_path(superuser_client, tmp_path):
    response = superuser_client.get("/api/libraries/browse/", {"path": str(tmp_path / TOO_LONG)})
    assert response.status_code == 400
    assert "File name too long" in response.json()["path"][0]


def test_the_add_library_page_says_the_name_is_too_long(client, superuser, tmp_path):
    client.force_login(superuser)
    page = client.post("/libraries/add/", {"path": str(tmp_path / TOO_LONG)})
    assert page.status_code == 400 and b"File name too long" in page.content
