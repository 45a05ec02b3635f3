"""A file moved from a writable library's folder page in headless Chromium: picked in the grid,
"Move…" in the selection bar, a folder typed in the dialog; the page then shows that folder, the
file is there on disk and its photo kept its id."""

import pytest

from apps.assets.models import Asset
from tests.assets.media_samples import asset_for, quadrant_pattern
from tests.ui.grids import settled
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_photo_moved_from_the_folder_page_lands_in_the_folder_typed_keeping_its_id(
    page, live_server, user, password, library, library_root
):
    library.read_only = False
    library.save()
    (library_root / "trip").mkdir()
    (library_root / "keep").mkdir()  # empty: listed because the library is writable
    quadrant_pattern(600, 400).save(library_root / "trip" / "a.jpg", quality=80)
    photo = asset_for(library, "trip/a.jpg", width=600, height=400)

    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/folders/{library.pk}/")
    page.click('a.folder-card[data-folder="trip"]')
    settled(page)  # the click on the card does not wait for the folder's page to load
    page.locator(".tile[data-asset] .tick").first.click()
    page.click("[data-selection-bar] [data-selection-event=files-move]")
    page.fill("[data-fileops-dialog] [data-value]", "keep")
    page.click("[data-fileops-dialog] [data-ok]")
    page.wait_for_url("**/?path=keep")
    page.wait_for_selector(f'.tile[data-asset="{photo.pk}"]')

    photo.refresh_from_db()
    assert photo.path == "keep/a.jpg"
    assert (library_root / "keep" / "a.jpg").exists() and not (library_root / "trip" / "a.jpg").exists()
    assert Asset.objects.filter(library=library).count() == 1
