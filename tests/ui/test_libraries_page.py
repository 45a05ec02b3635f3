"""The Libraries page in a real browser: pick a folder, add it, scan it, watch the progress."""

import pytest

from apps.scanning import services
from apps.scanning.models import Library, ScanRun
from tests.scanning.conftest import make_tree
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pick_add_scan_and_watch_progress(page, live_server, superuser, password, tmp_path, settings):
    settings.MEDIAHUB_LIBRARY_ROOTS = [str(tmp_path)]
    make_tree(tmp_path / "Pictures" / "Trip", 3)
    (tmp_path / ".cache").mkdir()
    log_in(page, live_server, "root", password)
    page.goto(f"{live_server.url}/libraries/")

    page.click("text=Browse…")
    picker = page.locator("#directory-picker")
    picker.locator("a", has_text="Pictures").click()
    picker.locator("a", has_text="Trip").click()
    assert ".cache" not in picker.inner_text()
    page.click("text=Use this folder")
    assert page.input_value("#library-path") == str(tmp_path / "Pictures" / "Trip")
    page.click("button:has-text('Add library')")
    row = page.locator("tr", has_text="Trip")
    row.wait_for()
    library = Library.objects.get(name="Trip")

    row.locator("button", has_text="Scan now").click()
    page.locator(".scan-progress[data-state=queued]").wait_for()
    services.run_queued_scan(ScanRun.objects.get(library=library).pk)  # what a worker would do
    done = page.locator(".scan-progress[data-state=done]")
    done.wait_for(timeout=10_000)  # the page polls every second
    assert "3 new" in done.inner_text()
    assert page.locator("tr", has_text="Trip").locator(".scan-progress").count() == 1  # swapped in place
    # The end of the scan refreshes the row's counts.
    page.locator("tr[data-library] td:nth-child(4)", has_text="3").wait_for(timeout=10_000)
