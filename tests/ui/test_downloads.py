"""Downloads and export in real Chromium, at desktop and phone width: a photo exported as a small
WebP from the detail view's Export dialog, then two photos of the Photos grid downloaded as one
ZIP from the selection bar, each saved by the browser with the page saying what it got."""

import io
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from tests.albums.conftest import gps_jpeg
from tests.assets.media_samples import asset_for, library_at
from tests.factories import PASSWORD
from tests.ui.grids import settled
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_export_a_photo_then_download_a_selection_as_a_zip(page, live_server, user, tmp_path, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    library = library_at(tmp_path, user)
    start = datetime(2024, 7, 14, 18, 0, tzinfo=UTC)
    photos = []
    for n in range(3):
        gps_jpeg(tmp_path / f"IMG_{n}.jpg", colour=(60 * n, 120, 200))
        photos.append(asset_for(library, f"IMG_{n}.jpg", taken_at=start - timedelta(hours=n), width=320, height=240))
    log_in(page, live_server, "alice", PASSWORD)

    page.goto(f"{live_server.url}/photos/{photos[0].pk}/")
    page.click("[data-export-url]")
    dialog = page.locator("[data-export-dialog]")
    dialog.locator("select[name=format]").select_option("webp")
    dialog.locator("input[name=max_size]").fill("100")
    dialog.locator("select[name=strip]").select_option("location")
    with page.expect_download() as exported:
        dialog.locator("button[type=submit]").click()
    assert exported.value.suggested_filename == "IMG_0.webp"
    image = Image.open(io.BytesIO(Path(exported.value.path()).read_bytes()))
    assert (image.format, image.size) == ("WEBP", (100, 75)) and not image.getexif().get_ifd(0x8825)
    dialog.locator("[data-export-status]:has-text('Saved IMG_0.webp')").wait_for()
    dialog.locator("[data-export-close]").click()

    page.goto(f"{live_server.url}/")
    settled(page)
    tiles = page.locator(".tile[data-asset]")
    tiles.nth(0).locator(".tick").click()
    tiles.nth(2).locator(".tick").click()
    with page.expect_download() as zipped:
        page.click("[data-selection-bar] [data-action=download]")
    assert zipped.value.suggested_filename == "MediaHub photos.zip"
    with zipfile.ZipFile(zipped.value.path()) as archive:
        assert sorted(archive.namelist()) == ["IMG_0.jpg", "IMG_2.jpg"]
        assert archive.read("IMG_2.jpg") == (tmp_path / "IMG_2.jpg").read_bytes()
    page.wait_for_selector("[data-selection-bar] [data-status]:has-text('Downloaded 2 photos')")
