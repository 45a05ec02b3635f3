"""One walk over every page (tests/ui/pages.py) as a superuser with some data, at desktop and phone
widths: no page is wider than the screen, axe-core finds no serious or critical accessibility
violation, and nothing that takes a click is kept out of the keyboard's reach."""

import json
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.ui.pages import THIRD_PARTY, page_urls, seed
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}

OVERFLOW = "() => ({width: document.documentElement.scrollWidth})"
# Interactive elements shown on the page but taken out of the tab order.
UNREACHABLE = """() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [onclick]')]
  .filter((el) => el.offsetParent !== null && el.tabIndex < 0 && !el.disabled && el.type !== 'hidden')
  .map((el) => el.outerHTML.slice(0, 120))"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}));
}"""


def pages_only(urls, user) -> list[str]:
    """The URLs that answer a whole HTML page to a GET (not a POST action, a fragment, JSON or media)."""
    client = Client()
    client.force_login(user)
    kept = []
    for url in urls:
        response = client.get(url, HTTP_ACCEPT="text/html")  # DRF's browsable API answers HTML then
        html = response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")
        if html and b"<html" in b"".join(response.streaming_content if response.streaming else [response.content]):
            kept.append(url)
    return kept


def visit(page, url):
    response = page.goto(url)
    # htmx fills parts of some pages on load (albums of a photo, similar photos, scan progress).
    page.wait_for_load_state("networkidle")
    return response


def test_every_page_fits_a_phone_and_has_no_serious_accessibility_violations(
    browser, live_server, superuser, password, tmp_path
):
    data = seed(tmp_path / "library", superuser, UserFactory(username="bob"))
    urls, unknown = page_urls(data)
    assert not unknown, f"routes with parameters to add to FILL or SKIP in tests/ui/pages.py: {unknown}"
    urls = pages_only(urls, superuser)
    problems, walked = [], []
    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport, is_mobile=name == "phone", has_touch=name == "phone")
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(f"{page.url}: {exc}"))
        log_in(page, live_server, "root", password)
        for url in urls:
            visit(page, live_server.url + url)
            walked.append(f"{name} {url}")
            size = page.evaluate(OVERFLOW)
            # Against the viewport set, not innerWidth: a phone-emulating browser zooms out to show a
            # page that is too wide, and innerWidth grows with it.
            if size["width"] > viewport["width"]:
                problems.append(f"{name} {url}: {size['width']} px wide on a {viewport['width']} px screen")
            if url.startswith(THIRD_PARTY):
                continue
            unreachable = page.evaluate(UNREACHABLE)
            if unreachable:
                problems.append(f"{name} {url}: out of the tab order: {unreachable}")
            page.add_script_tag(path=str(AXE))
            for violation in page.evaluate(AXE_RUN):
                problems.append(f"{name} {url}: {json.dumps(violation)}")
        problems += errors
        context.close()
    print(f"\nwalked {len(walked)} pages:\n" + "\n".join(walked))
    assert not problems, "\n".join(problems)
    assert any(url.endswith(f"/photos/{data['photo'].pk}/") for url in walked)
