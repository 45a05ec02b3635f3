"""Explore in headless Chromium: the timeline scrubber, the memories' stories, the slideshow over a
grid and the folder pages, at desktop and phone widths."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.assets.media_samples import asset_for, quadrant_pattern
from tests.factories import AssetFactory
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def photo(library, name, taken_at, **fields):
    quadrant_pattern(600, 400).save(f"{library.root_path}/{name}", quality=80)
    return asset_for(library, name, taken_at=taken_at, taken_at_offset=0, width=600, height=400, **fields)


def test_the_scrubber_jumps_to_a_month_without_reloading_and_scrolls_up_again(page, live_server, user, password, library):
    june = datetime(2024, 6, 28, 12, tzinfo=UTC)
    recent = [AssetFactory(library=library, taken_at=june - timedelta(hours=n)) for n in range(130)]
    old = [AssetFactory(library=library, taken_at=datetime(2019, 3, day, tzinfo=UTC)) for day in (1, 2)]
    log_in(page, live_server, "alice", password)
    page.wait_for_selector('.timeline-scrubber .scrubber-month[data-bucket="2019-03"]', state="attached")
    assert page.locator(".timeline-scrubber .scrubber-year").all_inner_texts() == ["2024", "2019"]
    page.evaluate("window.notReloaded = true")

    bar = page.locator(".timeline-scrubber").bounding_box()
    page.mouse.move(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] - 3)
    assert "March 2019" in page.locator(".scrubber-hover").inner_text()
    page.mouse.down()
    page.mouse.up()
    page.wait_for_selector(f'#photo-grid a.tile[data-asset="{old[1].pk}"]')
    assert page.evaluate("window.notReloaded") is True, "the jump must not reload the page"
    assert "at=" in page.url
    assert page.locator(f'#photo-grid a.tile[data-asset="{old[0].pk}"]').is_visible()

    # Upwards: the newer pages load above (the view stays put), each day heading once.
    page.wait_for_function("""() => {
      window.scrollTo(0, 0);
      return document.querySelectorAll('#photo-grid a.tile').length === 132;
    }""", polling=250)
    assert page.locator(f'#photo-grid a.tile[data-asset="{recent[0].pk}"]').count() == 1
    headings = page.locator("#photo-grid h3.day").evaluate_all("(hs) => hs.map((h) => h.id)")
    assert len(headings) == len(set(headings)) == 8  # 23-28 June 2024 (130 hours back), 1 and 2 March 2019
    page.wait_for_selector('.scrubber-month.current[data-bucket="2024-06"]', state="attached")


def test_a_memory_plays_as_a_story_and_can_be_hidden_on_a_phone(browser, live_server, user, password, library):
    today = timezone.localdate()
    moments = [photo(library, f"m{n}.jpg", datetime(2020, today.month, today.day, 9 + 3 * n, tzinfo=UTC))
               for n in range(3)]
    photo(library, "older.jpg", datetime(2016, today.month, today.day, 12, tzinfo=UTC))
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "alice", password)
    page.evaluate("localStorage.setItem('mediahub-slideshow-interval', '3')")
    cards = page.locator("[data-memory]")
    cards.first.wait_for()
    assert cards.count() == 2 and f"{today.year - 2020} years ago" in cards.first.inner_text()

    cards.first.locator("[data-memory-open]").click()
    story = page.locator(".slideshow.story")
    story.wait_for()
    assert story.get_attribute("data-current") == str(moments[0].pk)
    page.wait_for_function(f"() => document.querySelector('.slideshow').dataset.current === '{moments[1].pk}'")
    page.evaluate("""() => {  // swipe left: the next moment
      const stage = document.querySelector('.slideshow-stage');
      const touch = (x) => new Touch({identifier: 1, target: stage, clientX: x, clientY: 300});
      stage.dispatchEvent(new TouchEvent('touchstart', {touches: [touch(300)], changedTouches: [touch(300)], bubbles: true}));
      stage.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [touch(100)], bubbles: true}));
    }""")
    assert story.get_attribute("data-current") == str(moments[2].pk)
    page.keyboard.press(" ")
    assert "paused" in story.get_attribute("class")
    page.keyboard.press("Escape")
    assert page.locator(".slideshow").count() == 0

    cards.last.locator("[data-memory-hide]").click()
    page.wait_for_function("() => document.querySelectorAll('[data-memory]').length === 1")
    page.reload()
    cards.first.wait_for()
    assert cards.count() == 1
    context.close()


def test_a_slideshow_over_the_grid_advances_shuffles_and_esc_returns_to_the_same_place(page, live_server, user, password, library):
    start = datetime(2024, 5, 1, 12, tzinfo=UTC)
    shown = [photo(library, f"s{n}.jpg", start - timedelta(minutes=n)) for n in range(3)]
    for n in range(60):  # enough tiles to scroll
        AssetFactory(library=library, taken_at=start - timedelta(days=1, minutes=n))
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server, "alice", password)
    page.evaluate("localStorage.setItem('mediahub-slideshow-interval', '20')")
    page.wait_for_selector(".slideshow-start")
    page.evaluate("window.scrollTo(0, 500)")
    page.wait_for_function("() => window.scrollY === 500")

    page.locator(".slideshow-start").dispatch_event("click")  # as a click that does not scroll to the button
    show = page.locator(".slideshow")
    show.wait_for()
    assert show.get_attribute("data-current") == str(shown[0].pk)
    page.wait_for_function("() => [...document.querySelectorAll('.slideshow img.slide.shown')].some((i) => i.naturalWidth === 600)")
    page.keyboard.press("ArrowRight")
    assert show.get_attribute("data-current") == str(shown[1].pk)
    page.keyboard.press("ArrowLeft")
    assert show.get_attribute("data-current") == str(shown[0].pk)
    page.click("[data-slideshow-shuffle]")
    assert page.get_attribute("[data-slideshow-shuffle]", "aria-pressed") == "true"
    assert page.locator("[data-slideshow-count]").inner_text() == "1 / 63"
    page.keyboard.press("Escape")
    assert show.count() == 0
    assert page.evaluate("window.scrollY") == 500


def test_folders_browse_down_and_back_up_through_the_breadcrumbs_on_a_phone(browser, live_server, user, password, library):
    for path in ("2024/Rome/a.jpg", "2024/Rome/b.jpg", "2024/Paris/c.jpg", "2019/d.jpg"):
        AssetFactory(library=library, path=path, taken_at=datetime(2024, 1, 1, tzinfo=UTC))
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "alice", password)
    page.goto(f"{live_server.url}/folders/")
    page.click(f'a.folder-card[href="/folders/{library.pk}/"]')
    page.wait_for_url(f"**/folders/{library.pk}/")  # loaded: a click waits only for the next page to start
    page.click('a.folder-card[data-folder="2024"]')
    page.wait_for_url("**/?path=2024")
    assert [card.split() for card in page.locator("a.folder-card[data-folder]").all_inner_texts()] == [
        ["Paris", "1"], ["Rome", "2"]]
    page.click('a.folder-card[data-folder="Rome"]')
    page.wait_for_selector("#photo-grid a.tile")
    assert page.locator(".breadcrumbs").inner_text().split() == ["Folders", "/", *library.name.split(), "/", "2024", "/", "Rome"]
    assert page.locator("#photo-grid a.tile").count() == 2
    assert page.locator(".slideshow-start").count() == 1
    page.click(".breadcrumbs a:text-is('2024')")
    page.wait_for_selector('a.folder-card[data-folder="Paris"]')
    assert page.locator("#photo-grid").count() == 0  # no files directly in 2024
    context.close()
