"""The Map, Places and Trips pages, the photo page's place, and the "Show on map" links (HTML)."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import AssetFactory, LibraryFactory

from .helpers import FLORENCE, PARIS, ROME, day, located

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user, password):
    client = Client()
    assert client.login(username=user.username, password=password)
    return client


@pytest.fixture
def library(user):
    return LibraryFactory(owner=user)


def test_the_map_page_hands_its_filters_and_the_tile_server_to_the_script(browser, settings):
    settings.MEDIAHUB_MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    html = browser.get("/map/?person=7&cursor=abc&zoom=4").content.decode()
    assert 'data-points-url="/api/map/points/"' in html
    assert 'data-filters="person=7"' in html  # page state (cursor, zoom) does not travel
    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in html
    assert "vendor/leaflet/leaflet.js" in html and "vendor/leaflet/leaflet.markercluster.js" in html


def test_the_photo_page_names_the_place_and_keeps_the_cameras_clock(browser, library):
    photo = AssetFactory(library=library, latitude=ROME[0], longitude=ROME[1],
                         taken_at=datetime(2019, 5, 3, 8, tzinfo=UTC), taken_at_offset=120)
    from apps.search import services

    services.index_assets([photo])
    html = browser.get(f"/photos/{photo.pk}/").content.decode()
    assert "Rome, Latium, Italy" in html
    assert "/search/?place=Rome&amp;country=IT" in html
    assert f'data-lat="{ROME[0]:f}"' in html and "data-mini-map" in html
    assert "Fri 3 May 2019, 10:00:00" in html and "UTC+02:00" in html  # the photo's own zone


def test_a_photo_not_geocoded_yet_shows_its_coordinates(browser, library):
    photo = AssetFactory(library=library, latitude=ROME[0], longitude=ROME[1])
    html = browser.get(f"/photos/{photo.pk}/").content.decode()
    assert "41.90280, 12.49640" in html and "data-mini-map" in html


def test_places_page_links_each_country_and_city_to_its_photos(browser, library):
    located(library, PARIS)
    located(library, ROME)
    html = browser.get("/places/").content.decode()
    assert 'href="/search/?country=FR"' in html and 'href="/search/?place=Paris&amp;country=FR"' in html
    assert html.count("/thumbnail?v=") == 4  # a cover for each country and city
    grid = browser.get("/search/?place=Paris&country=FR").content.decode()
    assert grid.count('class="tile ') == 1


def test_trips_page_lists_trips_with_a_route_and_a_grid_of_their_days(browser, library):
    cache.clear()
    for n in range(6):
        located(library, PARIS, day(n))
    for hour in (9, 12, 15):
        located(library, ROME, day(10, hour))
    located(library, FLORENCE, day(11))
    html = browser.get("/trips/").content.decode()
    assert "Rome and Florence, April 2019" in html and "data-route-map" in html
    assert "/search/?taken_after=2019-04-11T09%3A00%3A00%2B00%3A00&amp;taken_before=2019-04-12T12%3A00%3A01" in html
    grid = browser.get("/search/?taken_after=2019-04-11T09:00:00Z&taken_before=2019-04-12T12:00:01Z").content.decode()
    assert grid.count('class="tile ') == 4


def test_search_person_and_album_pages_offer_show_on_map(browser, library, user):
    from apps.albums import services as albums

    photo = located(library, ROME)
    html = browser.get("/search/?camera_model=X&q=rome").content.decode()
    assert "Show on map" not in html  # nothing matched
    html = browser.get("/search/?q=rome&cursor=").content.decode()
    assert 'href="/map/?q=rome"' in html
    album = albums.create_album(user, "Italy")
    albums.add_items(user, album, [photo.pk])
    assert f'href="/map/?album={album.pk}"' in browser.get(f"/albums/{album.pk}/").content.decode()
