"""The Duplicates page in a real browser: a superadmin starts the search, the page says so, and the
groups the worker finds are there on the next visit."""

import shutil

import pytest

from apps.assets.duplicates import services as duplicates
from apps.scanning import services
from tests.factories import LibraryFactory
from tests.scanning.conftest import make_jpeg
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_superadmin_starts_the_duplicate_search_from_the_page(page, live_server, superuser, password, tmp_path,
                                                               settings):
    settings.MEDIAHUB_PIPELINE_STAGES = []
    make_jpeg(tmp_path / "a" / "IMG_1.jpg", seed=7)
    shutil.copy(tmp_path / "a" / "IMG_1.jpg", tmp_path / "a" / "IMG_1 copy.jpg")
    services.scan_library(LibraryFactory(owner=superuser, root_path=str(tmp_path)), inline=True)
    log_in(page, live_server, "root", password)
    page.goto(f"{live_server.url}/duplicates/")
    assert "Nothing to review" in page.inner_text("main")

    page.click("button:has-text('Find duplicates now')")
    page.locator("#find-status", has_text="Duplicate search started").wait_for()
    duplicates.find_duplicates()  # what the worker does with the queued task
    page.reload()
    assert page.locator(".duplicate-group", has_text="Identical files").count() == 1
