import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAV = ["Photos", "Search", "People", "Albums", "Tags", "Map", "Places", "Folders", "Culling", "Libraries", "Stats", "Trash", "Jobs", "Admin"]


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_login_shows_the_navigation_then_logout(page, live_server, superuser, password):
    log_in(page, live_server, "root", password)
    links = page.locator("nav#main-nav > a").all_inner_texts()
    assert links == NAV
    assert page.evaluate("typeof htmx") == "object", "htmx must load from static/vendor"
    page.click("text=Log out")
    page.wait_for_url(f"{live_server.url}/accounts/login/")


def test_phone_layout_folds_the_navigation_into_a_menu(browser, live_server, superuser, password):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server, "root", password)
    assert not page.locator("nav#main-nav").is_visible()
    page.click(".nav-toggle")
    assert page.locator("nav#main-nav a", has_text="Libraries").is_visible()
    # The user link beside the menu is hidden on a phone: the account pages are in the menu.
    assert not page.locator(".session .who").is_visible()
    for label, path in [("Password", "/accounts/password/"), ("Two-factor login", "/accounts/two-factor/"),
                        ("API tokens", "/accounts/tokens/"), ("Users", "/accounts/users/"),
                        ("Profile (root)", "/accounts/profile/")]:
        if not page.locator("nav#main-nav").is_visible():
            page.click(".nav-toggle")
        page.locator("nav#main-nav .nav-account a", has_text=label).click()
        page.wait_for_url(f"{live_server.url}{path}")
    context.close()


def test_theme_toggle_switches_to_dark_and_is_remembered(page, live_server, user, password):
    log_in(page, live_server, "alice", password)
    background = lambda: page.evaluate("getComputedStyle(document.body).backgroundColor")  # noqa: E731
    light = background()
    page.click(".theme-toggle")  # auto -> light
    page.click(".theme-toggle")  # light -> dark
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert background() != light
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
