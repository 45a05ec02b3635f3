"""The photo grid's justified rows and square tiles, its size slider and badges, and the Search
page's camera-setting inputs, in headless Chromium at desktop and phone width."""

from datetime import UTC, datetime, timedelta

import pytest

from apps.assets.models import Asset, AssetUserState
from tests.factories import AssetFactory, LibraryFactory
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Shown sizes: landscape, portrait, square, a panorama, and one stored landscape but turned a quarter.
SHAPES = [(6000, 4000, 0), (4000, 6000, 0), (3000, 3000, 0), (8000, 2000, 0), (6000, 4000, 90)]

# Rows of the grid: every tile inside the grid, tiles of a row equally high, and at least one full
# row ending at the grid's right edge (a justified row fills the width).
ROWS = """() => {
  const grid = document.querySelector('#photo-grid');
  const box = grid.getBoundingClientRect();
  const rows = new Map();
  for (const tile of grid.querySelectorAll('.tile')) {
    const t = tile.getBoundingClientRect();
    const key = Math.round(t.top);
    rows.set(key, [...(rows.get(key) || []), t]);
  }
  return {
    gridLeft: box.left, gridRight: box.right, pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    rows: [...rows.values()].map((r) => ({
      left: Math.min(...r.map((t) => t.left)), right: Math.max(...r.map((t) => t.right)),
      heights: r.map((t) => Math.round(t.height * 10) / 10), widths: r.map((t) => t.width), count: r.length,
    })),
  };
}"""


@pytest.fixture
def photos(user):
    library = LibraryFactory(owner=user)
    start = datetime(2024, 7, 14, 18, 0, tzinfo=UTC)
    assets = []
    for n in range(30):
        width, height, turn = SHAPES[n % len(SHAPES)]
        assets.append(AssetFactory(
            library=library, path=f"g/IMG_{n:02d}.jpg", taken_at=start - timedelta(minutes=n), width=width,
            height=height, user_rotation=turn, iso=100 if n % 3 else 3200, status=Asset.Status.READY))
    AssetUserState.objects.create(user=user, asset=assets[0], favorite=True, rating=4)
    video = assets[1]
    video.kind, video.duration, video.mime = Asset.Kind.VIDEO, 125.4, "video/mp4"
    video.save()
    return assets


def check_rows(page, *, full_rows_at_least=1):
    layout = page.evaluate(ROWS)
    assert layout["pageWidth"] <= layout["viewport"], "the page scrolls sideways"
    full = 0
    for row in layout["rows"]:
        assert row["left"] >= layout["gridLeft"] - 0.5 and row["right"] <= layout["gridRight"] + 0.5, row
        assert max(row["heights"]) - min(row["heights"]) <= 1, row
        full += abs(row["right"] - layout["gridRight"]) <= 1.5
    assert full >= full_rows_at_least, layout
    return layout


@pytest.mark.parametrize("viewport", [{"width": 1440, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_justified_rows_square_tiles_slider_badges_and_camera_filters(browser, live_server, user, password,
                                                                       photos, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    log_in(page, live_server, "alice", password)

    # Justified by default: full rows end at the grid's edge, nothing overflows.
    page.wait_for_selector("#photo-grid.grid-justified")
    first = check_rows(page)
    tiles = page.locator("#photo-grid .tile")
    assert tiles.count() == 30
    turned = page.locator(f'.tile[data-asset="{photos[4].pk}"]')
    assert (turned.get_attribute("data-width"), turned.get_attribute("data-height")) == ("4000", "6000")
    box = turned.bounding_box()
    assert box["height"] > box["width"], "a photo turned a quarter is laid out portrait"

    # The slider makes the rows higher, and it is remembered.
    slider = page.locator("[data-grid-size]")
    before = first["rows"][0]["heights"][0]
    slider.evaluate("(el) => { el.value = String(Number(el.value) + 100); el.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.wait_for_function(f"() => document.querySelector('#photo-grid .tile').getBoundingClientRect().height > {before + 20}")
    higher = check_rows(page)
    assert len(higher["rows"]) > len(first["rows"])
    page.reload()
    page.wait_for_selector("#photo-grid.grid-justified")
    assert page.locator("#photo-grid .tile").first.bounding_box()["height"] > before + 20

    # Square tiles, remembered too; then back to rows.
    page.click('[data-grid-mode="square"]')
    page.wait_for_selector("#photo-grid.grid-square")
    assert page.get_attribute('[data-grid-mode="square"]', "aria-pressed") == "true"
    for tile in (tiles.nth(0), tiles.nth(3)):
        square = tile.bounding_box()
        assert abs(square["width"] - square["height"]) <= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.reload()
    page.wait_for_selector("#photo-grid.grid-square")
    page.click('[data-grid-mode="justified"]')
    page.wait_for_selector("#photo-grid.grid-justified")

    # Badges: the caller's favourite and rating, a video's duration.
    favourite = page.locator(f'.tile[data-asset="{photos[0].pk}"]')
    assert favourite.locator(".badge.favorite").is_visible()
    assert favourite.locator(".badge.rating").inner_text().startswith("4")
    assert page.locator(f'.tile[data-asset="{photos[1].pk}"] .badge.duration').inner_text() == "2:05"

    # Arrow down moves to a tile of the next row, whatever it lines up with.
    tiles.first.focus()
    top = tiles.first.bounding_box()["y"]
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") > top

    # The Search page's camera settings narrow the results (ISO 3,200 on one photo in three).
    page.goto(f"{live_server.url}/search/?filename=IMG")
    page.wait_for_selector("#photo-grid.grid-justified")
    assert page.locator("#photo-grid .tile").count() == 30
    page.click("[data-camera-filters] summary")
    page.fill('input[name="iso_min"]', "1000")
    page.press('input[name="iso_min"]', "Enter")
    page.wait_for_function("() => document.querySelectorAll('#photo-grid .tile').length === 10")
    assert "iso_min=1000" in page.url
    page.check('input[name="orientation"][value="square"]')
    page.wait_for_function("() => document.querySelectorAll('#photo-grid .tile').length === 2")
    check_rows(page, full_rows_at_least=0)
    context.close()
