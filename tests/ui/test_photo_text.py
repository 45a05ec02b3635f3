"""Text in the photo, in headless Chromium at desktop and phone width: the info panel lists the lines
the ocr stage read; "Show text on the photo" draws each line over the preview where it was read, as
text a user can select; no sideways scroll, nothing axe-core calls serious."""

import pytest

from apps.assets.derivatives.images import make_photo_derivatives
from apps.search.ocr import engine, reading
from tests.assets.media_samples import asset_for, library_at
from tests.search.ocr_samples import painted
from tests.ui.test_every_page import AXE, AXE_RUN
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Where ocr_samples.painted put the words on its 960x540 photo, as the stage stores boxes: fractions.
SIGN = engine.Line("ZANZIBAR BAKERY", 0.99, [[0.0625, 0.22], [0.72, 0.22], [0.72, 0.36], [0.0625, 0.36]])
HOURS = engine.Line("open daily", 0.97, [[0.0625, 0.59], [0.43, 0.59], [0.43, 0.73], [0.0625, 0.73]])


def test_the_text_toggle_draws_selectable_lines_over_the_photo(browser, live_server, tmp_path, user, password):
    painted(tmp_path / "sign.jpg", [(SIGN.text, (60, 120)), (HOURS.text, (60, 320))])
    photo = asset_for(library_at(tmp_path, user), "sign.jpg", mime="image/jpeg", width=960, height=540)
    make_photo_derivatives(tmp_path / "sign.jpg", photo.pk)
    reading.store([(photo, [SIGN, HOURS])])
    page = browser.new_page()
    log_in(page, live_server, "alice", password)
    for viewport in ({"width": 1440, "height": 900}, {"width": 390, "height": 844}):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/photos/{photo.pk}/")
        section = page.locator("[data-photo-text]")
        assert section.locator("li").all_inner_texts() == [SIGN.text, HOURS.text]
        assert page.locator(".text-box").count() == 0  # fetched on demand only
        section.get_by_role("button", name="Show text on the photo").click()
        boxes = page.locator(".text-box")
        boxes.first.wait_for()
        assert boxes.all_text_contents() == [SIGN.text, HOURS.text]
        # The first line's box lies over the painted words: its corners at the stored fractions of the preview.
        at = page.evaluate("""() => {
            const img = document.querySelector('img.preview').getBoundingClientRect();
            const box = document.querySelector('.text-box').getBoundingClientRect();
            const scale = Math.min(img.width / 960, img.height / 540);
            const left = img.left + (img.width - 960 * scale) / 2, top = img.top + (img.height - 540 * scale) / 2;
            return [(box.left - left) / (960 * scale), (box.top - top) / (540 * scale),
                    (box.right - left) / (960 * scale), (box.bottom - top) / (540 * scale)];
        }""")
        assert at == pytest.approx([0.0625, 0.22, 0.72, 0.36], abs=0.02), at
        boxes.first.dblclick()  # selects a word, as on any page of text
        assert page.evaluate("window.getSelection().toString().trim()") in SIGN.text.split()
        section.get_by_role("button", name="Hide text on the photo").click()
        assert not boxes.first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scroll"
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_RUN) == []
    page.close()
