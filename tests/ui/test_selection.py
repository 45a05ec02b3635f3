"""Multi-select in the Photos grid applies favourite/reject/rating to every picked photo at once."""

from datetime import datetime, timedelta, timezone

import pytest

from apps.assets.models import AssetUserState
from tests.factories import PASSWORD, AssetFactory, LibraryFactory
from tests.ui.grids import settled
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_days(user):
    library = LibraryFactory(owner=user)
    noon = datetime(2024, 6, 2, 12, 0, tzinfo=timezone.utc)
    # Newest first in the grid: three photos on 2 June, two on 1 June.
    day_two = [AssetFactory(library=library, taken_at=noon - timedelta(minutes=i)) for i in range(3)]
    day_one = [AssetFactory(library=library, taken_at=noon - timedelta(days=1, minutes=i)) for i in range(2)]
    return day_two, day_one


def states(user, field):
    return {str(s.asset_id) for s in AssetUserState.objects.filter(user=user, **{field: True})}


def test_click_shift_click_then_favourite(page, live_server, user, two_days):
    day_two, day_one = two_days
    log_in(page, live_server, "alice", PASSWORD)
    settled(page)
    tiles = page.locator(".tile[data-asset]")
    assert tiles.count() == 5
    tiles.nth(0).click(modifiers=["Control"])
    tiles.nth(3).click(modifiers=["Shift"])  # range across the day heading
    assert page.locator(".tile.selected").count() == 4
    assert page.url.rstrip("/") == live_server.url, "selecting must not open a photo"
    page.click("[data-action=favorite]")
    page.wait_for_selector("[data-status]:has-text('4 photo')")
    assert states(user, "favorite") == {str(a.id) for a in day_two + day_one[:1]}


def test_select_a_whole_day_then_rate(page, live_server, user, two_days):
    _, day_one = two_days
    log_in(page, live_server, "alice", PASSWORD)
    settled(page)
    page.locator(".day", has_text="1 June").locator("[data-select-day]").click()
    assert page.locator(".tile.selected").count() == 2
    page.select_option("[data-rating]", "4")
    page.click("[data-action=rate]")
    page.wait_for_selector("[data-status]:has-text('2 photo')")
    ratings = dict(AssetUserState.objects.filter(user=user).values_list("asset_id", "rating"))
    assert ratings == {a.id: 4 for a in day_one}
    page.keyboard.press("Escape")
    assert page.locator(".tile.selected").count() == 0


def test_a_refused_batch_shows_the_apis_reason_and_changes_nothing(page, live_server, user, two_days):
    day_two, _ = two_days
    log_in(page, live_server, "alice", PASSWORD)
    settled(page)
    tiles = page.locator(".tile[data-asset]")
    tiles.nth(0).click(modifiers=["Control"])
    tiles.nth(1).click(modifiers=["Control"])
    day_two[1].delete()  # gone after it was picked: the batch is all or nothing
    page.click("[data-action=favorite]")
    page.wait_for_selector("[data-status].error:has-text('Failed: Some assets were not found')")
    assert states(user, "favorite") == set()
