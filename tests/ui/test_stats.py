"""The Stats page in headless Chromium, at desktop and phone widths: every chart draws its data,
and a year's bar opens the Photos grid showing that year's photos only."""

from datetime import UTC, datetime

import pytest

from tests.factories import AssetFactory
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [{"width": 1440, "height": 900}, {"width": 390, "height": 844}]
CHARTS = ["years", "months", "calendar", "hours", "weekdays", "cameras", "lenses", "pairs",
          "iso", "aperture", "shutter", "focal"]
# The centre of one bar of a Chart.js chart, in page coordinates.
BAR_AT = """([name, index]) => {
  const canvas = document.querySelector(`[data-chart="${name}"]`);
  const bar = Chart.getChart(canvas).getDatasetMeta(0).data[index];
  const box = canvas.getBoundingClientRect();
  return {x: box.left + bar.x, y: box.top + (bar.y + bar.base) / 2};
}"""


def test_the_charts_draw_and_a_years_bar_opens_that_years_photos(browser, live_server, user, password, library):
    old = [AssetFactory(library=library, taken_at=datetime(2022, 3, day, 10, tzinfo=UTC), camera_make="Canon",
                        camera_model="Canon EOS R5", lens="RF50mm F1.8", iso=200, f_number=1.8,
                        exposure_time=1 / 250, focal_length=50) for day in (1, 2)]
    for day in (5, 6, 7):
        AssetFactory(library=library, taken_at=datetime(2024, 7, day, 18, tzinfo=UTC), camera_make="Apple",
                     camera_model="iPhone 15", lens="iPhone 15 back camera", iso=50, f_number=1.6,
                     exposure_time=1 / 60, focal_length=6.1)
    for viewport in VIEWPORTS:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        log_in(page, live_server, "alice", password)
        page.goto(f"{live_server.url}/stats/")
        for name in CHARTS:
            page.wait_for_selector(f'canvas[data-chart="{name}"][data-loaded="true"]', state="attached")
        assert page.locator('[data-chart="years"]').get_attribute("data-points") == "2"
        assert page.locator("[data-year-links] a").all_inner_texts() == ["2022 (2)", "2024 (3)"]
        assert page.locator('[data-chart="calendar"]').get_attribute("data-points") == "3"  # 2024 shown first
        assert page.locator("[data-year-select]").input_value() == "2024"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert "5" in page.locator(".stats-totals").inner_text()

        page.locator('[data-chart="years"]').scroll_into_view_if_needed()
        point = page.evaluate(BAR_AT, ["years", 0])
        page.mouse.click(point["x"], point["y"])
        page.wait_for_url("**taken_after=2022-01-01**")
        assert "taken_before=2023-01-01" in page.url
        page.wait_for_selector("#photo-grid a.tile")
        shown = page.locator("#photo-grid a.tile").evaluate_all("(tiles) => tiles.map((t) => t.dataset.asset)")
        assert sorted(shown) == sorted(str(asset.pk) for asset in old)
        context.close()

