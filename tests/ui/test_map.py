"""The map in headless Chromium, at desktop and phone widths, with tiles from the test server only:
clusters from the database, a cluster opening its photos as a grid, a photo's page naming its place."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from apps.places import points
from apps.search import services as search
from tests.assets.media_samples import asset_for, library_at, quadrant_pattern
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROME, PARIS = (41.9028, 12.4964), (48.8566, 2.3522)
WIDTHS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def located_photos(tmp_path, user):
    """Three photos in Rome and one in Paris, geocoded as the search stage leaves them."""
    library = library_at(tmp_path, user)
    assets = []
    for n, (lat, lon) in enumerate([(ROME[0] + i * 0.001, ROME[1]) for i in range(3)] + [PARIS]):
        quadrant_pattern(640, 480).save(tmp_path / f"IMG_{n}.jpg", quality=85)
        assets.append(asset_for(library, f"IMG_{n}.jpg", latitude=lat, longitude=lon, width=640, height=480,
                                taken_at=datetime(2019, 5, 3, 8, tzinfo=UTC) + timedelta(hours=n),
                                taken_at_offset=120))
    search.index_assets(assets)
    return assets


@pytest.mark.parametrize("width", WIDTHS)
def test_map_clusters_open_a_grid_and_the_photo_names_its_place(
    browser, live_server, user, password, located_photos, monkeypatch, width
):
    monkeypatch.setattr(points, "POINT_LIMIT", 2)  # four photos are "many": the database clusters them
    context = browser.new_context(viewport=WIDTHS[width], is_mobile=width == "phone", has_touch=width == "phone")
    page = context.new_page()
    elsewhere = []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else elsewhere.append(request.url))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, "alice", password)

    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector(".leaflet-tile-loaded")  # the blank local tile
    rome = page.locator(".server-cluster", has_text="3")
    rome.wait_for()
    assert page.locator(".leaflet-marker-icon:not(.server-cluster)").count() == 1  # Paris, a pin
    assert "4 photos" in page.locator("[data-map-status]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]

    rome.click()
    page.wait_for_url(f"{live_server.url}/search/?bbox=*")
    tiles = page.locator("#photo-grid a.tile")
    assert sorted(tiles.evaluate_all("els => els.map(e => e.dataset.asset)")) == sorted(
        str(a.pk) for a in located_photos[:3])

    # The Search page's location picker holds the cluster's box and draws it.
    assert page.locator("input[name=bbox]").input_value().count(",") == 3
    page.locator("[data-map-picker] path.leaflet-interactive").wait_for()

    tiles.first.click()
    page.wait_for_url(re.compile(r"/photos/[0-9a-f-]+/\?bbox="))  # the grid's set rides along
    info = page.locator(".viewer-info")
    assert "Rome, Latium, Italy" in info.inner_text()
    assert "UTC+02:00" in info.inner_text()  # the capture time on the photo's own clock
    page.locator("[data-mini-map] .leaflet-tile-loaded").first.wait_for()
    assert page.locator("[data-mini-map] .leaflet-marker-icon").count() == 1

    assert not elsewhere, f"requests left the test server: {elsewhere[:3]}"
    assert not errors, errors
    context.close()
