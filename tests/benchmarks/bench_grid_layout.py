"""What the justified rows cost the browser: laying out a Photos page of 200 tiles in headless
Chromium (justified-layout's arithmetic, the tiles' new sizes and the browser's own layout of them),
against the square grid's layout of the same tiles.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_grid_layout.py -s
Prints the median and p95 over 30 layouts of each, at desktop and phone width.
"""

from datetime import UTC, datetime, timedelta

import pytest

from apps.assets import grid_pages
from tests.factories import AssetFactory, LibraryFactory
from tests.ui.conftest import browser  # noqa: F401 - the session-wide Chromium of the browser tests
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TILES = 200

MEASURE = """([mode, runs]) => {
  const grid = document.querySelector('#photo-grid');
  localStorage.setItem('mediahub-grid', JSON.stringify({mode, size: 200}));
  const samples = [];
  for (let i = 0; i < runs; i++) {
    // A size that changes each time, so every run lays out anew (the slider being dragged).
    localStorage.setItem('mediahub-grid', JSON.stringify({mode, size: 180 + (i % 2) * 40}));
    const start = performance.now();
    document.querySelector('[data-grid-size]').value = String(180 + (i % 2) * 40);
    document.querySelector('[data-grid-size]').dispatchEvent(new Event('input', {bubbles: true}));
    grid.getBoundingClientRect(); grid.offsetHeight;  // the browser's layout, forced now
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return {median: samples[Math.floor(runs / 2)], p95: samples[Math.floor(runs * 0.95) - 1],
          tiles: grid.querySelectorAll('.tile').length};
}"""


def test_laying_out_200_tiles(browser, live_server, user, password, monkeypatch):
    monkeypatch.setattr(grid_pages, "PAGE_SIZE", TILES)
    library = LibraryFactory(owner=user)
    start = datetime(2024, 7, 14, 18, 0, tzinfo=UTC)
    shapes = [(6000, 4000), (4000, 6000), (3000, 3000), (8000, 2000)]
    for n in range(TILES):
        width, height = shapes[n % len(shapes)]
        AssetFactory(library=library, path=f"b/IMG_{n}.jpg", taken_at=start - timedelta(minutes=n), width=width, height=height)
    for name, viewport in (("desktop", {"width": 1440, "height": 900}), ("phone", {"width": 390, "height": 844})):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        log_in(page, live_server, "alice", password)
        page.wait_for_selector("#photo-grid.grid-justified")
        for mode in ("justified", "square"):
            page.evaluate(f"document.querySelector('[data-grid-mode=\"{mode}\"]').click()")
            result = page.evaluate(MEASURE, [mode, 30])
            assert result["tiles"] == TILES
            print(f"\n{name:>8} {mode:>9}: {TILES} tiles laid out in {result['median']:.2f} ms median, "
                  f"{result['p95']:.2f} ms p95")
        context.close()
