"""Upload from the Photos page in real Chromium through Uppy and tus: progress in the Dashboard, a
duplicate reported as such, and the new photo in the timeline without a reload; on a phone too."""

import pytest
from blake3 import blake3

from apps.assets.models import Asset
from apps.scanning.models import Upload
from tests.assets.media_samples import asset_for, library_at
from tests.factories import PASSWORD
from tests.scanning.conftest import exif_jpeg
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def existing(tmp_path, user, settings):
    """One photo already indexed (so the timeline is there), whose bytes the test uploads again."""
    settings.MEDIAHUB_UPLOAD_DIR = tmp_path / "uploads"
    content = exif_jpeg("2024:07:14 18:00:00", seed=21)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "old.jpg").write_bytes(content)
    asset = asset_for(library_at(tmp_path / "lib", user), "old.jpg", content_hash=blake3(content).hexdigest())
    return asset, content


def upload_through_the_dashboard(page, live_server, tmp_path, files):
    page.goto(f"{live_server.url}/")
    marker = page.evaluate("() => { window.notReloaded = true; return window.notReloaded; }")
    page.click("[data-upload-open]")
    page.wait_for_selector(".uppy-Dashboard--modal .uppy-Dashboard-inner")
    page.set_input_files(".uppy-Dashboard-input >> nth=0", files)
    page.wait_for_selector(f"[data-upload-status][data-done='{len(files)}']", timeout=30_000)
    assert marker and page.evaluate("() => window.notReloaded")  # the grid was refreshed, not the page


def test_upload_two_files_one_new_one_already_there_and_see_the_new_one_in_the_timeline(
    page, live_server, user, existing, tmp_path
):
    _, old_bytes = existing
    new, again = tmp_path / "new.jpg", tmp_path / "again.jpg"
    new.write_bytes(exif_jpeg("2025:01:02 10:00:00", seed=22))
    again.write_bytes(old_bytes)
    log_in(page, live_server, "alice", PASSWORD)

    upload_through_the_dashboard(page, live_server, tmp_path, [str(new), str(again)])

    assert page.inner_text("[data-upload-status]") == "1 uploaded, 1 already in your library"
    created = Upload.objects.get(outcome="created")
    page.wait_for_selector(f"#photo-grid .tile[data-asset='{created.asset_id}']")
    assert Asset.objects.get(pk=created.asset_id).path == "2025/01/new.jpg"
    assert Upload.objects.get(outcome="duplicate").asset_id == existing[0].pk


def test_upload_on_a_phone(browser, live_server, user, existing, tmp_path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    new = tmp_path / "phone.jpg"
    new.write_bytes(exif_jpeg("2025:02:03 10:00:00", seed=23))
    try:
        log_in(page, live_server, "alice", PASSWORD)
        upload_through_the_dashboard(page, live_server, tmp_path, [str(new)])
        created = Upload.objects.get(outcome="created")
        page.wait_for_selector(f"#photo-grid .tile[data-asset='{created.asset_id}']")
        assert page.inner_text("[data-upload-status]") == "1 uploaded"
    finally:
        context.close()
