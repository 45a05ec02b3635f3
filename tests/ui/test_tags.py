"""Tags from the browser: tag a photo on its page, tag a selection from the Photos grid's bar, then
search with an all-of chip and a not chip; at desktop and phone width."""

from datetime import datetime, timedelta, timezone

import pytest

from apps.tags.models import AssetTag
from tests.factories import PASSWORD, AssetFactory, LibraryFactory
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


def tagged(asset) -> set[str]:
    return set(AssetTag.objects.filter(asset=asset).values_list("tag__path", flat=True))


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_tag_a_photo_then_a_selection_then_search_with_and_not_chips(browser, live_server, user, viewport):
    library = LibraryFactory(owner=user)
    noon = datetime(2024, 6, 2, 12, 0, tzinfo=timezone.utc)
    rome, beach, other = (AssetFactory(library=library, taken_at=noon - timedelta(minutes=n)) for n in range(3))
    page = browser.new_context(viewport=VIEWPORTS[viewport], has_touch=viewport == "phone").new_page()
    log_in(page, live_server, "alice", PASSWORD)

    page.goto(f"{live_server.url}/photos/{rome.pk}/")
    page.fill("[data-asset-tags] [data-tag-input]", "Places/Italy/Rome")
    page.click("[data-asset-tags] button[type=submit]")
    page.wait_for_selector("[data-tag-chip='Places/Italy/Rome']")
    assert tagged(rome) == {"Places/Italy/Rome"}

    page.goto(f"{live_server.url}/")
    for asset in (rome, beach):
        page.locator(f".tile[data-asset='{asset.pk}']").click(modifiers=["Control"])
    page.click("[data-selection-bar] [data-selection-event=tag-selection]")
    page.fill("[data-tag-dialog] [data-tag-input]", "Family")
    page.click("[data-tag-dialog] button[value=add]")
    page.wait_for_selector("[data-tag-dialog] [data-tag-status]:has-text('Tagged 2 photos')")
    assert tagged(beach) == {"Family"} and tagged(rome) == {"Places/Italy/Rome", "Family"} and not tagged(other)
    page.click("[data-tag-dialog] form[method=dialog] button")

    page.goto(f"{live_server.url}/search/")
    page.fill("[data-tag-filter] [data-tag-input]", "Family")
    page.click("[data-tag-filter-add]")
    page.wait_for_selector(f"#photo-grid .tile[data-asset='{beach.pk}']")
    page.select_option("[data-tag-mode]", "tags_none")
    page.fill("[data-tag-filter] [data-tag-input]", "Places")
    page.click("[data-tag-filter-add]")
    page.wait_for_function(f"!document.querySelector(\"#photo-grid .tile[data-asset='{rome.pk}']\")")
    tiles = page.locator("#photo-grid .tile[data-asset]")
    assert [tiles.nth(n).get_attribute("data-asset") for n in range(tiles.count())] == [str(beach.pk)]
    assert "tags_all=Family" in page.url and "tags_none=Places" in page.url
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "fits the width"
    page.context.close()
