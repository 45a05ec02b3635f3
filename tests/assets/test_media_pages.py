"""The Photos grid and the detail page (HTML): day headings, paging, neighbours, visibility, metadata."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from apps.assets import grid_pages
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(password):
    def make(user):
        client = Client()
        assert client.login(username=user.username, password=password)
        return client

    return make


def at(day, hour=12):
    return datetime(2024, 5, day, hour, tzinfo=UTC)


def test_grid_groups_by_day_and_pages_without_repeating_a_heading(
    client_for, user, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(grid_pages, "PAGE_SIZE", 2)
    library = LibraryFactory(owner=user)
    a, b, c = (
        AssetFactory(library=library, taken_at=t, width=4000, height=3000)
        for t in (at(3, 12), at(3, 10), at(2))
    )
    client = client_for(user)

    with django_assert_max_num_queries(8):
        first = client.get("/")
    html = first.content.decode()
    assert html.count('class="day"') == 1 and "Friday 3 May 2024" in html
    assert f"/api/assets/{a.pk}/thumbnail?v=" in html and 'loading="lazy"' in html
    assert 'width="256" height="192"' in html
    next_url = first.context["next_url"]
    assert "day=2024-05-03" in next_url

    second = client.get("/" + next_url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in second, "htmx gets the partial"
    assert str(c.pk) in second and "Thursday 2 May 2024" in second and "Friday" not in second
    assert str(b.pk) in html


def test_a_local_offset_decides_the_day(client_for, user):
    # 23:30 UTC on the 1st is already the 2nd in UTC+02:00.
    AssetFactory(
        library=LibraryFactory(owner=user),
        taken_at=datetime(2024, 5, 1, 23, 30, tzinfo=UTC),
        taken_at_offset=120,
    )
    assert "Thursday 2 May 2024" in client_for(user).get("/").content.decode()


def test_detail_shows_metadata_and_its_neighbours(client_for, user):
    library = LibraryFactory(owner=user, name="Family")
    newer = AssetFactory(library=library, taken_at=at(5))
    asset = AssetFactory(
        library=library,
        taken_at=at(4, 10),
        taken_at_offset=120,
        path="2024/trip/IMG_1.jpg",
        camera_make="Canon",
        camera_model="Canon EOS 5D",
        lens="EF 24-70mm",
        f_number=2.8,
        exposure_time=0.008,
        iso=200,
        focal_length=35,
        latitude=48.858222,
        longitude=2.2945,
        width=4000,
        height=3000,
        size=3_500_000,
    )
    older = AssetFactory(library=library, taken_at=at(3))

    html = client_for(user).get(f"/photos/{asset.pk}/").content.decode()

    for text in (
        "Sat 4 May 2024, 12:00:00",
        "UTC+02:00",
        "Canon EOS 5D",
        "EF 24-70mm",
        "f/2.8 · 1/125 s · ISO 200 · 35 mm",
        "48.858222, 2.294500",
        "4000 × 3000",
        "3.3\xa0MB",
        "Family / 2024/trip/IMG_1.jpg",
    ):
        assert text in html, text
    assert f'href="/photos/{newer.pk}/" data-key="ArrowLeft"' in html
    assert f'href="/photos/{older.pk}/" data-key="ArrowRight"' in html
    assert f"/api/assets/{asset.pk}/preview?v=" in html
    assert "Canon Canon" not in html


def test_a_video_detail_has_a_player_with_its_poster(client_for, user):
    clip = AssetFactory(library=LibraryFactory(owner=user), kind="video", mime="video/mp4", duration=3.2)
    html = client_for(user).get(f"/photos/{clip.pk}/").content.decode()
    assert (
        f'poster="/api/assets/{clip.pk}/preview?v=' in html and f'src="/api/assets/{clip.pk}/video?v=' in html
    )


def test_detail_of_someone_elses_or_an_unknown_asset_is_404(client_for, user, other_user):
    theirs = AssetFactory(library=LibraryFactory(owner=other_user))
    client = client_for(user)
    assert client.get(f"/photos/{theirs.pk}/").status_code == 404
    assert client.get("/photos/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_pages_need_a_login(client):
    assert client.get("/").status_code == 302
    assert client.get(f"/photos/{AssetFactory().pk}/").status_code == 302


@pytest.mark.parametrize("offset, expected", [(-300, "UTC-05:00"), (0, "UTC")])
def test_offsets_are_shown_as_recorded(client_for, user, offset, expected):
    asset = AssetFactory(library=LibraryFactory(owner=user), taken_at=at(4), taken_at_offset=offset)
    assert expected in client_for(user).get(f"/photos/{asset.pk}/").content.decode()


def test_unknown_offset_says_so(client_for, user):
    asset = AssetFactory(library=LibraryFactory(owner=user), taken_at=at(4) - timedelta(hours=1))
    assert "time zone unknown" in client_for(user).get(f"/photos/{asset.pk}/").content.decode()
