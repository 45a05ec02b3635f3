"""The detail view's Generation section in headless Chromium, at desktop and phone width: an AI
image indexed by the real metadata stage shows its prompt, negative prompt and parameters, and
"Copy prompt" puts the prompt on the clipboard; no sideways scroll, nothing axe-core calls serious."""

import pytest

from apps.assets.metadata.stage import MetadataStage
from tests.assets.generation_samples import A1111, png_with
from tests.assets.media_samples import asset_for, library_at
from tests.ui.test_every_page import AXE, AXE_RUN
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PROMPT = A1111.split("\n")[0]


def test_the_generation_section_shows_the_parameters_and_copy_prompt_copies_the_prompt(
    browser, live_server, tmp_path, user, password
):
    png_with(tmp_path / "00042-3141592653.png", {"parameters": A1111})
    asset = asset_for(library_at(tmp_path, user), "00042-3141592653.png", mime="image/png")
    MetadataStage().run(asset)
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    log_in(page, live_server, "alice", password)
    for viewport in ({"width": 1440, "height": 900}, {"width": 390, "height": 844}):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/photos/{asset.pk}/")
        section = page.locator("[data-generation]")
        assert section.locator("[data-prompt]").inner_text() == PROMPT
        shown = section.inner_text()
        for text in ("AUTOMATIC1111", "blurry, lowres, watermark", "dreamshaperXL_v21", "DPM++ 2M · Karras",
                     "3141592653", "832 × 1216", "add_detail", "0.8"):
            assert text in shown, text
        page.evaluate("navigator.clipboard.writeText('')")
        section.get_by_role("button", name="Copy prompt").click()
        page.wait_for_function("() => document.querySelector('[data-copy-status]').textContent === 'Copied'")
        assert page.evaluate("navigator.clipboard.readText()") == PROMPT
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scroll"
    page.add_script_tag(path=str(AXE))  # once, at phone width: the same markup as on the desktop
    assert page.evaluate(AXE_RUN) == []  # no serious or critical accessibility violation
    context.close()
