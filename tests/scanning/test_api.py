import os

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_q.models import OrmQ

from apps.assets.models import Asset
from apps.scanning.models import Library, ScanRun
from tests.factories import AssetFactory, LibraryFactory, UserFactory

from .conftest import make_tree

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_everywhere(api_client, library):
    assert api_client.get("/api/libraries/").status_code == 401
    assert api_client.post(f"/api/libraries/{library.pk}/scan/").status_code == 401
    assert api_client.get("/api/libraries/browse/?path=/").status_code == 401
    assert api_client.get("/api/scans/").status_code == 401


def test_users_list_only_the_libraries_they_see_and_invisible_ones_answer_404(user_client, user, other_user):
    mine = LibraryFactory(owner=user)
    shared = LibraryFactory(owner=other_user, shared_with_all=True)
    hidden = LibraryFactory(owner=other_user)
    assert {row["id"] for row in user_client.get("/api/libraries/").json()} == {mine.pk, shared.pk}
    for method, url in [
        ("get", f"/api/libraries/{hidden.pk}/"),
        ("patch", f"/api/libraries/{hidden.pk}/"),
        ("delete", f"/api/libraries/{hidden.pk}/"),
        ("post", f"/api/libraries/{hidden.pk}/scan/"),
        ("post", f"/api/libraries/{hidden.pk}/pause/"),
    ]:
        assert getattr(user_client, method)(url).status_code == 404, (method, url)
    run = ScanRun.objects.create(library=hidden, state="done")
    assert user_client.get(f"/api/scans/{run.pk}/").status_code == 404
    assert user_client.get("/api/scans/").json()["results"] == []


def test_managing_needs_a_superuser(user_client, user, tmp_path):
    mine = LibraryFactory(owner=user)
    assert user_client.post("/api/libraries/", {"path": str(tmp_path)}).status_code == 403
    assert user_client.patch(f"/api/libraries/{mine.pk}/", {"name": "x"}).status_code == 403
    assert user_client.delete(f"/api/libraries/{mine.pk}/").status_code == 403
    assert user_client.post(f"/api/libraries/{mine.pk}/scan/").status_code == 403
    assert user_client.get("/api/libraries/browse/?path=/").status_code == 403


def test_list_counts_assets_without_a_query_per_library(superuser_client, superuser):
    for n in range(4):
        library = LibraryFactory(owner=superuser, shared_with_all=True)
        library.shared_with.add(*UserFactory.create_batch(2))  # joins must not multiply counts
        AssetFactory.create_batch(n, library=library)
        AssetFactory(library=library, status="missing")
    with CaptureQueriesContext(connection) as queries:
        rows = superuser_client.get("/api/libraries/").json()
    assert len(queries) <= 3
    assert sorted((r["asset_count"], r["missing_count"]) for r in rows) == [(1, 1), (2, 1), (3, 1), (4, 1)]


@pytest.mark.parametrize(
    "path,message",
    [
        ("relative/dir", "not an absolute path"),
        ("/no/such/folder", "does not exist"),
        ("FILE", "not a directory"),
    ],
)
def test_adding_a_bad_path_is_400_with_the_reason(superuser_client, tmp_path, path, message):
    if path == "FILE":
        (tmp_path / "f.jpg").write_bytes(b"x")
        path = str(tmp_path / "f.jpg")
    response = superuser_client.post("/api/libraries/", {"path": path})
    assert response.status_code == 400
    assert message in response.json()["path"][0]
    assert not Library.objects.exists()


def test_adding_outside_the_allowed_roots_or_inside_another_library_is_400(
    superuser_client, tmp_path, settings
):
    (tmp_path / "allowed" / "inner").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    settings.MEDIAHUB_LIBRARY_ROOTS = [str(tmp_path / "allowed")]
    response = superuser_client.post("/api/libraries/", {"path": str(tmp_path / "elsewhere")})
    assert response.status_code == 400 and "MEDIAHUB_LIBRARY_ROOTS" in response.json()["path"][0]
    assert superuser_client.post("/api/libraries/", {"path": str(tmp_path / "allowed")}).status_code == 201
    response = superuser_client.post("/api/libraries/", {"path": str(tmp_path / "allowed" / "inner")})
    assert response.status_code == 400 and "overlaps" in response.json()["path"][0]


def test_add_rename_pause_resume_and_remove(superuser_client, superuser, library_root):
    make_tree(library_root, 2)
    response = superuser_client.post("/api/libraries/", {"path": str(library_root), "name": "Holidays"})
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["root_path"], body["owner"], body["asset_count"]) == (
        "Holidays",
        str(library_root.resolve()),
        "root",
        0,
    )
    pk = body["id"]
    assert superuser_client.patch(f"/api/libraries/{pk}/", {"name": "Summer"}).json()["name"] == "Summer"
    assert superuser_client.post(f"/api/libraries/{pk}/pause/").json()["paused"] is True
    assert superuser_client.post(f"/api/libraries/{pk}/scan/").status_code == 409  # paused
    assert superuser_client.post(f"/api/libraries/{pk}/resume/").json()["paused"] is False
    AssetFactory.create_batch(3, library=Library.objects.get(pk=pk))
    assert superuser_client.delete(f"/api/libraries/{pk}/").status_code == 204
    assert not Library.objects.exists() and not Asset.objects.exists()
    assert sorted(os.listdir(library_root)) == ["d000"] and len(os.listdir(library_root / "d000")) == 2


def test_starting_a_scan_is_202_then_409_while_it_is_queued(
    superuser_client, library, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(f"/api/libraries/{library.pk}/scan/", {"full": True})
    assert response.status_code == 202
    run = ScanRun.objects.get(pk=response.json()["id"])
    assert (run.state, run.full, run.library_id) == ("queued", True, library.pk)
    assert OrmQ.objects.count() == 1  # handed to the workers
    second = superuser_client.post(f"/api/libraries/{library.pk}/scan/")
    assert second.status_code == 409 and "already" in second.json()["detail"]
    status = superuser_client.get(f"/api/scans/{run.pk}/").json()
    assert status["state"] == "queued" and status["files_seen"] == 0
    assert [r["id"] for r in superuser_client.get(f"/api/scans/?library={library.pk}").json()["results"]] == [
        run.pk
    ]


def test_the_directory_browser_lists_folders_first_without_hidden_entries(
    superuser_client, tmp_path, settings
):
    settings.MEDIAHUB_LIBRARY_ROOTS = [str(tmp_path)]
    for name in ["b_dir", "A_dir", ".hidden_dir"]:
        (tmp_path / name).mkdir()
    for name in ["a.jpg", ".secret"]:
        (tmp_path / name).write_bytes(b"x")
    body = superuser_client.get("/api/libraries/browse/", {"path": str(tmp_path)}).json()
    assert [(e["name"], e["is_dir"]) for e in body["entries"]] == [
        ("A_dir", True),
        ("b_dir", True),
        ("a.jpg", False),
    ]
    assert body["parent"] is None  # the top of the allowed root
    inner = superuser_client.get("/api/libraries/browse/", {"path": str(tmp_path / "b_dir")}).json()
    assert inner["parent"] == str(tmp_path)


def test_the_directory_browser_is_confined_to_the_allowed_roots(superuser_client, tmp_path, settings):
    (tmp_path / "allowed").mkdir()
    (tmp_path / "allowed" / "escape").symlink_to("/etc")
    settings.MEDIAHUB_LIBRARY_ROOTS = [str(tmp_path / "allowed")]
    for path in ["/etc", str(tmp_path / "allowed" / ".."), str(tmp_path / "allowed" / "escape")]:
        response = superuser_client.get("/api/libraries/browse/", {"path": path})
        assert response.status_code == 403, path
        assert "MEDIAHUB_LIBRARY_ROOTS" in response.json()["detail"]
    missing = str(tmp_path / "allowed" / "nope")
    for path, reason in [("relative", "not an absolute path"), (missing, "not a directory")]:
        response = superuser_client.get("/api/libraries/browse/", {"path": path})
        assert response.status_code == 400, path
        assert reason in response.json()["path"][0]


@override_settings(MEDIAHUB_LIBRARY_ROOTS=["/"])
def test_openapi_schema_has_no_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    text = (tmp_path / "s.yml").read_text()
    assert (
        "/api/libraries/{id}/scan/" in text
        and "/api/libraries/browse/" in text
        and "/api/scans/{id}/" in text
    )
