"""The Photos page: month and day headings, and a scrubber that jumps to a month."""

from datetime import UTC, datetime

import pytest

from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_months(library, other_user):
    AssetFactory(library=LibraryFactory(owner=other_user), taken_at=datetime(2021, 1, 5, tzinfo=UTC))
    return {
        month: [AssetFactory(library=library, taken_at=datetime(2024, month, day, 12, tzinfo=UTC)) for day in days]
        for month, days in {6: (3, 3, 1), 5: (20,), 2: (7, 8)}.items()
    }


def test_headings_per_month_and_per_day(client, user, three_months):
    client.force_login(user)
    page = client.get("/").content.decode()
    assert [m for m in ("June 2024", "May 2024", "February 2024") if f">{m}</h2>" in page] == [
        "June 2024", "May 2024", "February 2024"
    ]
    assert page.count('class="day"') == 5  # 3 June, 1 June, 20 May, 8 Feb, 7 Feb


def test_scrubber_lists_visible_months_with_counts_and_jumps(client, user, three_months):
    client.force_login(user)
    page = client.get("/").content.decode()
    scrubber = page[page.index('class="scrubber"'): page.index("</nav>", page.index('class="scrubber"'))]
    assert "2021" not in scrubber, "another user's months must not show"
    months = ('title="3 items"', 'title="1 item"', 'title="2 items"')  # a plural that agrees with its number
    assert [n for n in months if n in scrubber] == list(months)
    jump = client.get("/", {"taken_before": "2024-06-01T00:00:00+00:00"}).content.decode()
    shown = {a.pk for month in (5, 2) for a in three_months[month]}
    assert all(str(pk) in jump for pk in shown)
    assert not any(str(a.pk) in jump for a in three_months[6])


def test_scrolled_pages_do_not_recount_the_months(client, user, three_months, django_assert_max_num_queries):
    client.force_login(user)
    with django_assert_max_num_queries(4):
        assert client.get("/", HTTP_HX_REQUEST="true").status_code == 200


def test_scrubber_counts_only_what_a_filter_shows_and_keeps_newer_months_on_a_jump(client, user, three_months):
    from tests.people.factories import FaceFactory, PersonFactory

    ada = PersonFactory(name="Ada")
    for asset in (three_months[6][0], three_months[2][0]):
        FaceFactory(asset=asset, person=ada)
    client.force_login(user)
    for query in ({"person": ada.pk}, {"person": ada.pk, "taken_before": "2024-03-01T00:00:00+00:00"}):
        page = client.get("/", query).content.decode()
        scrubber = page[page.index('class="scrubber"'): page.index("</nav>", page.index('class="scrubber"'))]
        assert scrubber.count('title="1 item"') == 2 and "May" not in scrubber
        assert "Jun" in scrubber, "a jump must not hide the newer months"
