"""Duplicate finding without the command line: after scans that added files (a schedule pushed
later by each), and from the Duplicates page's button for a superadmin."""

import pytest
from django_q.models import OrmQ, Schedule

from apps.assets.duplicates import services
from apps.scanning import services as scanning
from tests.scanning.conftest import make_tree

pytestmark = pytest.mark.django_db


def queued_tasks(name_prefix: str) -> list[str]:
    return [q.task["name"] for q in OrmQ.objects.all() if q.task["name"].startswith(name_prefix)]


def after_scans():
    return Schedule.objects.filter(name=services.AFTER_SCANS_SCHEDULE)


def test_a_scan_that_added_files_asks_for_one_search_later_and_one_that_added_none_does_not(
    library, library_root, settings
):
    settings.MEDIAHUB_PIPELINE_STAGES = []
    settings.MEDIAHUB_DUPLICATES_DELAY = 60
    make_tree(library_root, 5)
    scanning.scan_library(library, inline=True)
    first = after_scans().get().next_run
    make_tree(library_root, 8)
    scanning.scan_library(library, inline=True)
    assert after_scans().count() == 1 and after_scans().get().next_run > first  # pushed, not doubled
    after_scans().delete()
    scanning.scan_library(library, inline=True)
    assert not after_scans().exists()


def test_the_search_waits_for_the_pipeline_then_goes_to_the_long_queue(library, library_root, settings):
    settings.MEDIAHUB_DUPLICATES_DELAY = 60
    scanning.enqueue_stages([library.pk])  # pipeline work still waiting
    assert services.find_if_idle().startswith("pipeline still busy")
    assert after_scans().exists() and not queued_tasks("find-duplicates")
    OrmQ.objects.all().delete()
    assert services.find_if_idle().startswith("duplicate search queued")
    assert queued_tasks("find-duplicates") == ["find-duplicates-default"]


def test_a_superadmin_starts_a_search_from_the_duplicates_page(superuser, client):
    client.force_login(superuser)
    assert b"Find duplicates now" in client.get("/duplicates/").content
    response = client.post("/duplicates/find", headers={"HX-Request": "true"})
    assert response.status_code == 202 and b"Duplicate search started" in response.content
    assert queued_tasks("find-duplicates") == ["find-duplicates-default"]
    plain = client.post("/duplicates/find")  # without htmx: the whole page, with the message
    assert plain.status_code == 202 and b"<h1>Duplicates</h1>" in plain.content


def test_nobody_else_may_start_a_search_or_sees_the_button(user, admin_user, client):
    for someone in (user, admin_user):
        client.force_login(someone)
        assert b"Find duplicates now" not in client.get("/duplicates/").content
        assert client.post("/duplicates/find").status_code == 403
    assert client.get("/duplicates/find").status_code == 405
    client.logout()
    assert client.post("/duplicates/find").status_code == 302  # to the login page
    assert not queued_tasks("find-duplicates")
