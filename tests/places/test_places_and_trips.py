"""GET /api/places/ and /api/trips/: countries and cities with counts and covers; trips away from home,
split by time and named after their cities; nothing the caller cannot see."""

import pytest
from django.core.cache import cache

from apps.places import trips as trip_rules
from tests.factories import LibraryFactory

from .helpers import FLORENCE, LYON, PARIS, ROME, day, located

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def library(user):
    return LibraryFactory(owner=user)


def test_places_count_countries_and_cities_with_a_cover_of_their_own(user_client, library, other_user):
    paris = [located(library, PARIS) for _ in range(2)]
    rome = located(library, ROME)
    located(LibraryFactory(owner=other_user), LYON)  # not the user's: no Lyon, France counts 2
    body = user_client.get("/api/places/").json()
    assert [(c["code"], c["name"], c["count"]) for c in body["countries"]] == [("FR", "France", 2), ("IT", "Italy", 1)]
    assert body["countries"][0]["cover"] in {str(a.pk) for a in paris}
    cities = {c["name"]: c for c in body["cities"]}
    assert set(cities) == {"Paris", "Rome"}
    assert cities["Rome"]["count"] == 1 and cities["Rome"]["cover"] == str(rome.pk)
    assert cities["Paris"]["country_code"] == "FR"


def home_photos(library, days):
    """Many photos at home (Paris) on the given days: the densest place."""
    return [located(library, PARIS, day(n, hour)) for n in days for hour in (9, 18)]


def test_a_trip_is_a_run_of_photos_away_from_home_named_after_its_cities(user_client, library):
    home_photos(library, range(0, 10))
    italy = [located(library, ROME, day(12, h)) for h in (9, 12, 15)] + [
        located(library, FLORENCE, day(14, h)) for h in (10, 16)]
    home_photos(library, range(17, 20))
    [trip] = user_client.get("/api/trips/").json()
    assert trip["name"] == "Rome and Florence, April 2019"
    assert trip["count"] == 5 and trip["cover"] in {str(a.pk) for a in italy}
    assert [s["city"] for s in trip["stops"]] == ["Rome", "Florence"]
    assert [s["count"] for s in trip["stops"]] == [3, 2]
    assert trip["start"].startswith("2019-04-13T09:00") and trip["end"].startswith("2019-04-15T16:00")
    assert trip["countries"] == ["Italy"] and len(trip["route"]) == 5


def test_a_long_gap_or_a_photo_at_home_ends_a_trip_and_short_runs_are_not_trips(user_client, library):
    home_photos(library, range(0, 6))
    for n in (10, 11):  # Lyon, twice: then ten days without photos
        located(library, LYON, day(n))
        located(library, LYON, day(n, 15))
    for n in (22, 23):
        located(library, ROME, day(n))
        located(library, ROME, day(n, 15))
    located(library, PARIS, day(24))  # home again
    located(library, FLORENCE, day(25))
    located(library, FLORENCE, day(25, 15))  # two photos only: not a trip
    names = [t["name"] for t in user_client.get("/api/trips/").json()]
    assert names == ["Rome, April 2019", "Lyon, April 2019"]  # newest first


def test_trips_are_cached_until_the_visible_gps_set_changes(user_client, library, django_assert_max_num_queries):
    home_photos(library, range(0, 6))
    for h in (9, 12, 15):
        located(library, ROME, day(10, h))
    assert len(user_client.get("/api/trips/").json()) == 1
    with django_assert_max_num_queries(8):  # the fingerprint, not the rows: the answer is cached
        assert len(user_client.get("/api/trips/").json()) == 1
    for h in (9, 12, 15):
        located(library, LYON, day(20, h))
    assert [t["name"] for t in user_client.get("/api/trips/").json()] == ["Lyon, April 2019", "Rome, April 2019"]


def test_trip_names_list_three_places_at_most():
    from datetime import datetime

    when = datetime(2019, 5, 3)
    assert trip_rules.trip_name(["Rome"], when) == "Rome, May 2019"
    assert trip_rules.trip_name(["Rome", "Florence", "Rome"], when) == "Rome and Florence, May 2019"
    assert trip_rules.trip_name(["A", "B", "C"], when) == "A, B and C, May 2019"
    assert trip_rules.trip_name(["A", "B", "C", "D"], when) == "A, B and more, May 2019"
    assert trip_rules.trip_name([], when) == "Trip, May 2019"


def test_a_users_trips_hold_only_what_they_can_see(other_client, library, other_user):
    home_photos(library, range(0, 6))
    for h in (9, 12, 15):
        located(library, ROME, day(10, h))
    assert other_client.get("/api/trips/").json() == []
    assert other_client.get("/api/places/").json() == {"countries": [], "cities": []}


def test_without_scikit_learn_trips_say_why_and_the_rest_works(user_client, user, library, monkeypatch):
    import importlib.util

    from django.test import Client

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "sklearn" else real(name, *a))
    located(library, ROME)
    response = user_client.get("/api/trips/")
    assert response.status_code == 503 and "scikit-learn" in response.json()["detail"]
    page = Client()
    page.force_login(user)
    assert "Trips are unavailable: trips need scikit-learn" in page.get("/trips/").content.decode()
    assert user_client.get("/api/places/").status_code == 200
