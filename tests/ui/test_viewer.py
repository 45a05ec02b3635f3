"""The detail view's zoom (PhotoSwipe) in headless Chromium: a 12 MP photo opens over the page at its
preview, zooming past the preview's pixels loads the original, full screen and the keyboard work,
and closing leaves the page, its face boxes and keys as they were."""

import pytest

from apps.assets.viewer import zoom_source
from tests.ui.test_shell import log_in
from tests.ui.viewer_pages import OPEN, twelve_mp_photo, zoom_to_original

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def photo(tmp_path, user):
    return twelve_mp_photo(tmp_path, user)


def test_zooming_past_the_preview_loads_the_original_and_esc_returns_to_the_page(
    page, live_server, user, password, photo
):
    log_in(page, live_server, "alice", password)
    elapsed = zoom_to_original(page, live_server, photo)
    assert elapsed > 0
    shown = page.evaluate("document.querySelector('.pswp__img:not(.pswp__img--placeholder)').currentSrc")
    assert f"/api/assets/{photo.pk}/original" in shown
    assert page.evaluate("document.querySelector('.pswp__img:not(.pswp__img--placeholder)').naturalWidth") == 4000
    page.keyboard.press("Escape")  # closes the zoom, not the page
    page.wait_for_function("() => !document.querySelector('.pswp')")
    assert page.url == f"{live_server.url}/photos/{photo.pk}/"
    page.keyboard.press("z")  # the keyboard opens it again, at the preview
    page.wait_for_function(OPEN)  # Esc during the opening fade is not taken
    assert page.locator(".pswp__button--fullscreen").count() == 1
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.pswp')")
    page.keyboard.press("Escape")  # and Esc then goes back to the grid as before
    page.wait_for_url(f"{live_server.url}/")


def test_on_a_phone_a_tap_opens_the_zoom_at_the_preview_without_fetching_the_original(
    browser, live_server, user, password, photo
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/photos/{photo.pk}/")
    page.wait_for_function("() => document.querySelector('img.preview').naturalWidth > 0")
    page.tap("img.preview")
    page.wait_for_selector(".pswp--open .pswp__img")
    box = page.locator(".pswp__img").last.bounding_box()
    assert box["width"] <= 390
    assert not [url for url in fetched if "/original" in url], "fitting the screen needs only the preview"
    context.close()


def test_only_originals_a_browser_can_draw_and_the_caller_may_take_are_offered_for_zoom(user, other_user, photo):
    assert zoom_source(photo, user)["width"] == 4000
    assert zoom_source(photo, other_user) is None  # not theirs: they would not see the page either
    photo.mime = "image/heic"
    assert zoom_source(photo, user) is None  # the preview is the largest a browser can draw
    photo.mime, photo.user_rotation = "image/jpeg", 90
    assert zoom_source(photo, user) is None  # the original does not carry the user's rotation
