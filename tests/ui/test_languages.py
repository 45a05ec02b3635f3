"""Languages in a real browser: a German browser gets German pages (login included, before anyone is
signed in), German dates and numbers and the German words of the scripts; the language a user picks
in the profile wins over the browser's."""

from datetime import datetime, timezone

import pytest

from tests.factories import AssetFactory
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAV_DE = ["Fotos", "Suche", "Personen", "Alben", "Schlagwörter", "Karte", "Orte", "Ordner", "Auslese",
          "Bibliotheken", "Statistik", "Papierkorb"]
NAV_EN = ["Photos", "Search", "People", "Albums", "Tags", "Map", "Places", "Folders", "Culling", "Libraries", "Stats",
          "Trash"]


def test_a_german_browser_gets_german_pages_until_the_profile_chooses_english(
    browser, live_server, user, password, library
):
    photo = AssetFactory(library=library, width=1200, height=1000, taken_at_offset=120,
                         taken_at=datetime(2019, 5, 3, 8, 0, tzinfo=timezone.utc))
    context = browser.new_context(locale="de-DE")
    page = context.new_page()

    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "Anmelden"
    assert page.evaluate("document.documentElement.lang") == "de"
    log_in(page, live_server, "alice", password)
    assert page.locator("nav#main-nav > a").all_inner_texts() == NAV_DE

    page.goto(f"{live_server.url}/photos/{photo.pk}/")
    info = page.locator(".viewer-info").inner_text()
    assert "Fr, 3. Mai 2019, 10:00:00" in info  # the camera's clock, in German words and order
    assert "1,2 MP" in info  # a decimal comma
    # The scripts' words come from the JavaScript catalogue in the page's language.
    page.goto(f"{live_server.url}/")
    assert page.locator("[data-grid-mode=square]").inner_text() == "Quadratisch"
    assert page.evaluate("typeof Uppy.locales.de_DE.strings") == "object", "Uppy's German comes with the page"

    page.goto(f"{live_server.url}/accounts/profile/")
    page.select_option("select[name=language]", "en")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".message").inner_text() == "Profile saved."  # already in the language chosen
    assert page.locator("nav#main-nav > a").all_inner_texts() == NAV_EN
    assert page.evaluate("document.documentElement.lang") == "en"
    user.refresh_from_db()
    assert user.language == "en"
    context.close()
