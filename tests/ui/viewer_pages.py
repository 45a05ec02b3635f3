"""A 12 MP photo with its real preview, and the steps that zoom it in the detail view: shared by
tests/ui/test_viewer.py and tests/benchmarks/bench_viewer.py."""

from datetime import UTC, datetime

from PIL import Image, ImageDraw

from apps.assets.derivatives.images import make_photo_derivatives
from tests.assets.media_samples import asset_for, library_at

TWELVE_MP = (4000, 3000)
OPEN = "() => window.mediahubViewer.pswp && window.mediahubViewer.pswp.opener.isOpen"

# The zoom's own performance marks (static/js/viewer.js): from the moment the photo is shown larger
# than its preview's pixels to the first frame with the original's pixels decoded on screen.
ZOOM_MEASURE = """() => {
  performance.measure("first-zoomed-pixel", "mediahub:zoom-past-preview", "mediahub:zoom-original-shown");
  return performance.getEntriesByName("first-zoomed-pixel").pop().duration;
}"""


def twelve_mp_photo(root, owner, name="IMG_12MP.jpg"):
    """A 4000x3000 JPEG with fine detail (about 4.4 MB, as a camera's) and its real preview."""
    noise = Image.effect_noise(TWELVE_MP, 24).convert("RGB")
    image = Image.blend(noise, Image.linear_gradient("L").resize(TWELVE_MP).convert("RGB"), 0.5)
    draw = ImageDraw.Draw(image)
    for x in range(0, TWELVE_MP[0], 40):
        draw.line([(x, 0), (x, TWELVE_MP[1])], fill=(200, 30, 30), width=3)
    image.save(root / name, quality=88)
    library = library_at(root, owner)
    asset = asset_for(
        library, name, mime="image/jpeg", width=TWELVE_MP[0], height=TWELVE_MP[1],
        taken_at=datetime(2024, 7, 14, 18, 0, tzinfo=UTC), taken_at_offset=0,
    )
    make_photo_derivatives(root / name, asset.pk)
    return asset


def zoom_to_original(page, live_server, asset) -> float:
    """Open the photo, zoom it to 1:1 and wait for the original's pixels; returns the milliseconds."""
    page.goto(f"{live_server.url}/photos/{asset.pk}/")
    page.wait_for_function("() => document.querySelector('img.preview').naturalWidth > 0")
    page.click("img.preview")
    page.wait_for_function(OPEN)
    page.evaluate("() => window.mediahubViewer.pswp.currSlide.zoomTo(1, undefined, 0)")
    page.wait_for_function("() => document.documentElement.dataset.zoomOriginal === 'shown'", timeout=30_000)
    return page.evaluate(ZOOM_MEASURE)
