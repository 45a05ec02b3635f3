""""On this day" memories: /api/memories/, hiding one, and the strip at the top of Photos."""

from datetime import UTC, datetime

import pytest

from apps.assets.explore import memories
from apps.assets.models import Asset, AssetUserState
from apps.scanning.models import Library
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def years(body):
    return {memory["year"]: [a["id"] for a in memory["assets"]] for memory in body["memories"]}


def test_photos_of_the_same_days_in_earlier_years_grouped_by_year(user_client, library, other_user):
    near = [AssetFactory(library=library, taken_at=when) for when in (at(2020, 6, 15), at(2020, 6, 12), at(2017, 6, 18))]
    AssetFactory(library=library, taken_at=at(2020, 6, 11))  # four days away
    AssetFactory(library=library, taken_at=at(2025, 6, 15))  # this year: not a memory
    AssetFactory(library=LibraryFactory(owner=other_user), taken_at=at(2019, 6, 15))  # bob's
    body = user_client.get("/api/memories/", {"date": "2025-06-15"}).json()
    assert body["date"] == "2025-06-15"
    assert years(body) == {2020: [str(near[1].pk), str(near[0].pk)], 2017: [str(near[2].pk)]}
    assert [m["title"] for m in body["memories"]] == ["5 years ago", "8 years ago"]


def test_the_day_is_the_one_on_the_cameras_clock(user_client, library):
    # 23:30 in UTC on the 14th, but 08:30 on the 15th where it was taken (UTC+9).
    tokyo = AssetFactory(library=library, taken_at=at(2020, 6, 11, 23, 30), taken_at_offset=9 * 60)
    body = user_client.get("/api/memories/", {"date": "2025-06-15"}).json()
    assert years(body) == {2020: [str(tokyo.pk)]}
    assert Asset.objects.get(pk=tokyo.pk).capture_day == 612


def test_trashed_rejected_and_burst_frames_are_left_out(user_client, user, library):
    kept = AssetFactory(library=library, taken_at=at(2020, 6, 15, 9))
    burst = [AssetFactory(library=library, taken_at=at(2020, 6, 15, 15, second)) for second in range(10)]
    AssetFactory(library=library, taken_at=at(2020, 6, 15, 10), deleted_at=at(2024, 1, 1))
    rejected = AssetFactory(library=library, taken_at=at(2020, 6, 15, 11))
    AssetUserState.objects.create(user=user, asset=rejected, rejected=True)
    body = user_client.get("/api/memories/", {"date": "2025-06-15"}).json()
    [picked] = years(body).values()
    assert picked[0] == str(kept.pk)
    assert len(picked) == 2 and picked[1] in {str(a.pk) for a in burst}, "one frame of the burst"


def test_a_busy_year_gives_a_handful_spread_over_the_days(user_client, library):
    for day in range(12, 19):
        for hour in (8, 12, 16, 20):
            AssetFactory(library=library, taken_at=at(2020, 6, day, hour))
    [picked] = years(user_client.get("/api/memories/", {"date": "2025-06-15"}).json()).values()
    days = sorted(Asset.objects.get(pk=pk).taken_at.day for pk in picked)
    assert len(picked) == memories.PER_YEAR
    assert days[0] <= 13 and days[-1] >= 17, days


def test_hiding_a_memory_hides_it_for_that_user_only(user_client, user, library, other_user, other_client):
    Library.objects.filter(pk=library.pk).update(shared_with_all=True)
    AssetFactory(library=library, taken_at=at(2020, 6, 15))
    AssetFactory(library=library, taken_at=at(2019, 6, 15))
    assert user_client.post("/api/memories/hide/", {"date": "2025-06-15", "year": 2020}, format="json").status_code == 204
    assert set(years(user_client.get("/api/memories/", {"date": "2025-06-15"}).json())) == {2019}
    assert set(years(other_client.get("/api/memories/", {"date": "2025-06-15"}).json())) == {2020, 2019}
    assert user_client.delete("/api/memories/hide/", {"date": "2025-06-15", "year": 2020}, format="json").status_code == 204
    assert set(years(user_client.get("/api/memories/", {"date": "2025-06-15"}).json())) == {2020, 2019}


def test_bad_dates_are_bad_input(user_client):
    assert user_client.get("/api/memories/", {"date": "15/06/2025"}).status_code == 400
    assert user_client.post("/api/memories/hide/", {"date": "2025-06-15", "year": 2025}, format="json").status_code == 400


def test_the_photos_page_loads_the_story_cards(client, user, library):
    photo = AssetFactory(library=library, taken_at=at(2020, 6, 15))
    client.force_login(user)
    assert 'hx-get="/memories/"' in client.get("/").content.decode()
    strip = client.get("/memories/", {"date": "2025-06-15"}).content.decode()
    assert "5 years ago" in strip and f'data-asset="{photo.pk}"' in strip
    assert client.get("/memories/", {"date": "2025-06-16"}).content.decode().count("data-memory ") == 1
    assert "data-memory" not in client.get("/memories/", {"date": "2025-01-01"}).content.decode()


def test_a_year_busy_on_the_day_itself_keeps_to_that_day(user_client, library):
    on_the_day = {AssetFactory(library=library, taken_at=at(2020, 6, 15, hour)).pk for hour in range(8, 20, 2)}
    AssetFactory(library=library, taken_at=at(2020, 6, 14))
    quiet = AssetFactory(library=library, taken_at=at(2019, 6, 13))  # that year only had a day nearby
    picked = years(user_client.get("/api/memories/", {"date": "2025-06-15"}).json())
    assert set(picked[2020]) == {str(pk) for pk in on_the_day}
    assert picked[2019] == [str(quiet.pk)]
