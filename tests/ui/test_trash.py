"""The detail view's controls and the Trash page in a real browser: flag, rate, reject and delete a
photo from its page, find it in the Trash and restore it from there (desktop); delete from the grid's
selection, restore one and empty the rest at phone width."""

from datetime import datetime, timedelta, timezone

import pytest

from apps.assets.models import Asset, AssetUserState
from tests.factories import PASSWORD, AssetFactory, LibraryFactory
from tests.ui.grids import settled
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def photos(user):
    library = LibraryFactory(owner=user)
    noon = datetime(2024, 6, 2, 12, 0, tzinfo=timezone.utc)
    return [AssetFactory(library=library, taken_at=noon - timedelta(minutes=i)) for i in range(3)]


def alive(asset) -> bool:
    return Asset.objects.get(pk=asset.pk).deleted_at is None


def test_flag_rate_reject_delete_and_restore_from_the_photos_page(page, live_server, user, photos):
    first, second, _ = photos
    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/photos/{first.pk}/")
    page.click("[data-control=favorite]")
    page.wait_for_selector("[data-control=favorite][aria-pressed=true]")
    page.click("[data-control=rate][data-rating='3']")
    page.wait_for_selector("[data-control=rate][data-rating='3'][aria-pressed=true]")
    page.click("[data-control=reject]")
    page.wait_for_selector("[data-status]:has-text('hidden from the timeline')")
    state = AssetUserState.objects.get(user=user, asset=first)
    assert (state.favorite, state.rating, state.rejected) == (True, 3, True)
    page.click("[data-control=reject]")  # back in the timeline
    page.wait_for_selector("[data-control=reject][aria-pressed=false]")

    page.click("[data-control=delete]")
    page.wait_for_url(f"{live_server.url}/photos/{second.pk}/")  # on to the next photo
    assert not alive(first)

    page.click("nav#main-nav >> text=Trash")
    settled(page, selection=False)
    tile = page.locator(f".tile[data-asset='{first.pk}']")
    assert "30 days left" in tile.inner_text()
    tile.click()
    page.wait_for_url(f"{live_server.url}/photos/{first.pk}/")
    page.click("[data-control=restore]")
    page.wait_for_selector("[data-control=favorite][aria-pressed=true]")
    assert alive(first)
    assert page.locator("[data-control=rate][aria-pressed=true]").count() == 3, "the rating came back with it"


def test_delete_from_the_selection_then_restore_one_and_empty_the_trash_on_a_phone(browser, live_server, user, photos):
    phone = browser.new_context(viewport=PHONE, has_touch=True).new_page()
    phone.on("dialog", lambda dialog: dialog.accept())
    log_in(phone, live_server, "alice", PASSWORD)
    settled(phone)
    tiles = phone.locator(".tile[data-asset]")
    tiles.nth(0).locator(".tick").click()
    tiles.nth(1).click()
    phone.click("[data-action=delete]")
    phone.wait_for_selector("[data-status]:has-text('Moved 2 to the trash')")
    assert phone.locator(".tile[data-asset]").count() == 1
    assert not alive(photos[0]) and not alive(photos[1])

    phone.goto(f"{live_server.url}/trash/")
    settled(phone, selection=False)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "fits a phone"
    phone.locator(f".tile[data-asset='{photos[0].pk}'] .tick").click()
    phone.click("[data-trash-action=restore]")
    phone.wait_for_selector("[data-status]:has-text('Restored 1')")
    assert alive(photos[0])
    phone.click("[data-trash-action=empty]")
    phone.wait_for_selector("text=The trash is empty.")
    assert not Asset.objects.filter(pk=photos[1].pk).exists()
    assert Asset.objects.count() == 2
