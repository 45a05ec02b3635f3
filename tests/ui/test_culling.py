"""The Culling page in the browser, at desktop and phone width: a series of three side by side with
the suggested best starred, one zoom for all of them, reject / keep the best by keyboard or by the
buttons, each decision in the caller's own rejected flags, and the end of the series."""

from datetime import datetime, timedelta, timezone

import pytest
from django.test import override_settings
from PIL import ImageFilter

from apps.assets.models import Asset, AssetUserState
from apps.scanning.pipeline import run_stages
from tests.assets.media_samples import asset_for
from tests.assets.test_quality import detailed
from tests.factories import PASSWORD
from tests.ui.test_shell import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
STAGES = ["apps.assets.derivatives.stage.ThumbnailStage", "apps.assets.derivatives.stage.PreviewStage",
          "apps.assets.quality.stage.QualityStage"]
NOON = datetime(2024, 6, 2, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def series(library):
    """Three shots of one scene two seconds apart: sharp, a little blurred, very blurred."""
    scene = detailed(7)
    shots = []
    for n, radius in enumerate((0, 2, 6)):
        name = f"shot_{n}.jpg"
        (scene.filter(ImageFilter.GaussianBlur(radius)) if radius else scene).save(f"{library.root_path}/{name}")
        shots.append(asset_for(library, name, width=scene.width, height=scene.height))
    with override_settings(MEDIAHUB_PIPELINE_STAGES=STAGES):
        assert run_stages([shot.pk for shot in shots]).failed == 0
    for n, shot in enumerate(shots):
        Asset.objects.filter(pk=shot.pk).update(taken_at=NOON + timedelta(seconds=2 * n), camera_model="X100V", phash=n)
    return [str(shot.pk) for shot in shots]


def rejected(user) -> dict:
    return {str(k): v for k, v in AssetUserState.objects.filter(user=user).values_list("asset_id", "rejected")}


@pytest.mark.parametrize("device", VIEWPORTS)
def test_a_series_is_culled_side_by_side_with_one_zoom_into_the_callers_own_flags(
    browser, live_server, user, series, device
):
    phone = device == "phone"
    context = browser.new_context(viewport=VIEWPORTS[device], is_mobile=phone, has_touch=phone)
    page = context.new_page()
    log_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/culling/")
    panes = page.locator(".cull-pane")
    panes.nth(2).wait_for()
    assert panes.count() == 3 and page.locator(".cull-strip button").count() == 3
    assert page.locator(".cull-pane.best").get_attribute("data-asset") == series[0]  # the sharp one
    assert "★" in page.locator(".cull-pane.best figcaption").inner_text()

    if phone:
        page.click("[data-cull=zoom-in]")
    else:
        page.keyboard.press("+")
    transforms = [panes.nth(i).locator("img").evaluate("img => img.style.transform") for i in range(3)]
    assert "scale(1.5)" in transforms[0] and len(set(transforms)) == 1, transforms

    if phone:
        panes.nth(1).locator("[data-decide=reject]").click()
    else:
        page.keyboard.press("ArrowRight")
        page.keyboard.press("x")
    page.locator('.cull-pane[data-position="1"].rejected').wait_for()
    assert rejected(user) == {series[1]: True}

    if phone:
        page.click("[data-cull=keep-best]")
    else:
        page.keyboard.press("a")
    page.locator('.cull-pane[data-position="2"].rejected').wait_for()
    assert rejected(user) == {series[0]: False, series[1]: True, series[2]: True}
    assert Asset.objects.filter(pk__in=series, deleted_at__isnull=True).count() == 3  # nothing deleted
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[device]["width"]

    if phone:
        page.click("[data-cull=next]")
    else:
        page.keyboard.press("n")
    page.wait_for_function("document.querySelectorAll('.cull-pane').length === 0")
    assert "last series" in page.locator("[data-cull-heading]").inner_text()
    context.close()
