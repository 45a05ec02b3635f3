"""A stack in the browser, at desktop and phone width: one tile with a count badge, its members in
the detail view's strip (each one reachable), unstacked and stacked again from a selection."""

from datetime import datetime, timedelta, timezone

import pytest

from apps.assets.models import Asset
from apps.assets.stacks import services as stacks
from tests.factories import PASSWORD, AssetFactory, LibraryFactory
from tests.ui.grids import settled
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def burst(user):
    library = LibraryFactory(owner=user)
    noon = datetime(2024, 6, 2, 12, 0, tzinfo=timezone.utc)
    shots = [AssetFactory(library=library, path=f"burst/B_{i}.jpg", taken_at=noon + timedelta(seconds=i)) for i in range(3)]
    AssetFactory(library=library, path="alone.jpg", taken_at=noon - timedelta(hours=1))
    stacks.join(shots, cover=shots[0])
    return shots


@pytest.mark.parametrize("device", VIEWPORTS)
def test_a_stack_is_one_tile_whose_members_the_detail_view_shows_and_a_selection_unstacks(
    browser, live_server, user, burst, device
):
    context = browser.new_context(viewport=VIEWPORTS[device], is_mobile=device == "phone", has_touch=device == "phone")
    page = context.new_page()
    log_in(page, live_server, "alice", PASSWORD)
    settled(page)
    tiles = page.locator(".tile[data-asset]")
    assert tiles.count() == 2
    cover = page.locator(f'.tile[data-asset="{burst[0].pk}"]')
    assert cover.locator("[data-stack-count]").inner_text().strip().endswith("3")

    cover.click()
    page.wait_for_url(f"**/photos/{burst[0].pk}/**")
    strip = page.locator("[data-stack] [data-member]")
    assert strip.count() == 3
    page.locator(f'[data-member="{burst[2].pk}"] a').click()  # a member that is not the cover
    page.wait_for_selector(f'[data-member="{burst[2].pk}"].current')
    assert page.locator(".viewer-title").inner_text() == "B_2.jpg"
    box = page.locator("[data-stack]").bounding_box()
    assert box["x"] + box["width"] <= VIEWPORTS[device]["width"], "the strip must not overflow the page"

    page.goto(f"{live_server.url}/")
    settled(page)
    page.locator(f'.tile[data-asset="{burst[0].pk}"] .tick').click()
    page.click("[data-selection-event=unstack-selected]")
    page.wait_for_function("document.querySelectorAll('.tile[data-asset]').length === 4")
    assert page.locator("[data-stack-count]").count() == 0
    assert not Asset.objects.filter(stack__isnull=False).exists()

    settled(page)
    for shot in burst[1:]:
        page.locator(f'.tile[data-asset="{shot.pk}"] .tick').click()
    page.click("[data-selection-event=stack-selected]")
    page.wait_for_function("document.querySelectorAll('.tile[data-asset]').length === 3")
    assert page.locator("[data-stack-count]").inner_text().strip().endswith("2")
    context.close()
