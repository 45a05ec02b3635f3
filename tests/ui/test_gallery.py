"""The Photos grid and detail view in headless Chromium, over real JPEGs made for the test."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.assets.media_samples import asset_for, library_at, make_clip, quadrant_pattern
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL_THUMBNAILS_LOADED = """() => {
  const images = [...document.querySelectorAll('#photo-grid img')];
  return images.length > 0 && images.every((img) => img.complete && img.naturalWidth > 0);
}"""


@pytest.fixture
def photos(tmp_path, user):
    library = library_at(tmp_path, user)
    start = datetime(2024, 7, 14, 18, 0, tzinfo=UTC)
    assets = []
    for n in range(4):
        quadrant_pattern(1200, 800).save(tmp_path / f"IMG_{n}.jpg", quality=85)
        # Two days, newest first in the grid: 0, 1 on the 15th; 2, 3 on the 14th.
        taken = start + timedelta(days=1 if n < 2 else 0, minutes=-n)
        assets.append(
            asset_for(
                library,
                f"IMG_{n}.jpg",
                taken_at=taken,
                taken_at_offset=0,
                width=1200,
                height=800,
                camera_make="Test",
                camera_model="Camera 1",
            )
        )
    return assets


def test_grid_loads_real_thumbnails_and_opens_the_detail_view(page, live_server, user, password, photos):
    log_in(page, live_server, "alice", password)

    page.wait_for_function(ALL_THUMBNAILS_LOADED)
    assert page.locator("#photo-grid .day time").all_inner_texts() == [
        "Monday 15 July 2024",
        "Sunday 14 July 2024",
    ]
    assert page.locator("#photo-grid img").first.get_attribute("loading") == "lazy"

    page.focus(f'a.tile[data-asset="{photos[0].pk}"]')
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.asset") == str(photos[1].pk)
    page.keyboard.press("ArrowLeft")
    page.click(f'a.tile[data-asset="{photos[0].pk}"]')
    page.wait_for_url(f"{live_server.url}/photos/{photos[0].pk}/")
    page.wait_for_function("() => document.querySelector('img.preview').naturalWidth > 0")
    assert page.evaluate("document.querySelector('img.preview').naturalWidth") == 1200
    assert "Camera 1" in page.locator(".viewer-info").inner_text()

    page.keyboard.press("ArrowRight")
    page.wait_for_url(f"{live_server.url}/photos/{photos[1].pk}/")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(f"{live_server.url}/photos/{photos[0].pk}/")
    page.keyboard.press("Escape")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("#photo-grid img").count() == 4


def test_detail_view_works_on_a_phone(browser, live_server, user, password, photos):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/photos/{photos[1].pk}/")
    page.wait_for_function("() => document.querySelector('img.preview').naturalWidth > 0")

    media = page.locator(".viewer-media").bounding_box()
    info = page.locator(".viewer-info").bounding_box()
    assert media["width"] <= 390 and info["y"] >= media["y"] + media["height"], (
        "details stack below the photo"
    )
    page.click(".viewer-next")
    page.wait_for_url(f"{live_server.url}/photos/{photos[2].pk}/")
    context.close()


def test_a_video_plays_through_byte_ranges(page, live_server, user, password, tmp_path):
    clip_path = make_clip(tmp_path / "clip.mp4", seconds=2)
    clip = asset_for(
        library_at(tmp_path, user),
        "clip.mp4",
        kind="video",
        mime="video/mp4",
        video_codec="h264",
        audio_codec="aac",
        duration=2.0,
        taken_at=datetime(2024, 7, 1, tzinfo=UTC),
    )
    assert clip_path.stat().st_size > 0
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/photos/{clip.pk}/")

    page.wait_for_function("() => document.querySelector('video').readyState >= 1", timeout=15000)
    assert page.evaluate("Math.round(document.querySelector('video').duration)") == 2


def test_a_photo_opened_from_search_results_closes_back_to_them(page, live_server, user, password, photos):
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/search/?filename=IMG_2")
    page.click(f'#photo-grid a.tile[data-asset="{photos[2].pk}"]')
    page.wait_for_url(f"{live_server.url}/photos/{photos[2].pk}/")
    page.keyboard.press("Escape")
    page.wait_for_url(f"{live_server.url}/search/?filename=IMG_2")


def test_after_a_search_filter_changes_tiles_without_a_thumbnail_show_the_placeholder(
    page, live_server, user, password, tmp_path
):
    library = library_at(tmp_path, user)
    # No file on disk: the thumbnail cannot be made and answers 404, as one not made yet does.
    lost = asset_for(library, "lost.jpg", mime="image/jpeg", kind="photo", width=1200, height=800,
                     taken_at=datetime(2024, 7, 14, tzinfo=UTC), taken_at_offset=0)
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/search/")
    page.fill("input[name=filename]", "lost")
    page.press("input[name=filename]", "Enter")
    page.wait_for_selector(f'a.tile[data-asset="{lost.pk}"]')
    page.wait_for_function(f"() => document.querySelector('a.tile[data-asset=\"{lost.pk}\"]').classList.contains('no-thumb')")
    content = page.evaluate(f"getComputedStyle(document.querySelector('a.tile[data-asset=\"{lost.pk}\"]'), '::after').content")
    assert "no preview yet" in content
