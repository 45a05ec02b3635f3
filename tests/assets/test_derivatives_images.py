"""Photo derivatives from real files: orientation, HEIC irot, colour management, reduced decode, bad input."""

import pytest
from django.test import override_settings
from PIL import Image

from apps.assets.derivatives import images, sizes
from apps.assets.derivatives.stage import PreviewStage, ThumbnailStage
from apps.assets.derivatives.storage import Derivative, existing, path_for
from tests.assets.media_samples import (
    BLUE,
    GREEN,
    RED,
    WHITE,
    asset_for,
    close,
    display_p3_profile,
    exif_with_orientation,
    quadrant_colours,
    quadrant_pattern,
    stored_for_orientation,
)

pytestmark = pytest.mark.django_db


def open_derivative(asset, kind):
    path = existing(asset.pk, kind)
    assert path is not None, f"no {kind} written"
    return Image.open(path)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_gives_an_upright_thumbnail_and_preview(library, library_root, orientation):
    stored = stored_for_orientation(quadrant_pattern(600, 400), orientation)
    stored.save(library_root / "photo.jpg", quality=95, exif=exif_with_orientation(orientation))
    asset = asset_for(library, "photo.jpg")

    PreviewStage().run(asset)

    for kind in (Derivative.THUMBNAIL, Derivative.PREVIEW):
        image = open_derivative(asset, kind)
        assert image.width > image.height, f"{kind} of orientation {orientation} is not landscape"
        colours = quadrant_colours(image)
        for colour, expected in zip(colours, (RED, GREEN, BLUE, WHITE), strict=True):
            assert close(colour, expected), f"orientation {orientation} {kind}: {colours}"
    assert open_derivative(asset, Derivative.THUMBNAIL).format == "WEBP"
    assert max(open_derivative(asset, Derivative.THUMBNAIL).size) == 256


def test_heic_irot_is_applied_once_not_again_from_exif(library, library_root):
    display = quadrant_pattern(300, 200)
    # Like an iPhone: sensor pixels stored sideways, an `irot` box and EXIF Orientation=6 saying the same.
    stored_for_orientation(display, 6).save(
        library_root / "phone.heic", exif=exif_with_orientation(6), quality=95
    )
    assert b"irot" in (library_root / "phone.heic").read_bytes()
    asset = asset_for(library, "phone.heic", mime="image/heic")

    PreviewStage().run(asset)

    preview = open_derivative(asset, Derivative.PREVIEW)
    assert preview.size == (300, 200)
    for colour, expected in zip(quadrant_colours(preview), (RED, GREEN, BLUE, WHITE), strict=True):
        assert close(colour, expected)


def srgb_from_p3(rgb, gamma=2.2):
    """Reference maths: Display P3 (pure gamma) -> linear -> sRGB matrix -> sRGB transfer curve."""
    p3_to_srgb = (
        (1.2249401, -0.2249404, 0.0),
        (-0.0420569, 1.0420571, 0.0),
        (-0.0196376, -0.0786361, 1.0982735),
    )
    linear = [(c / 255) ** gamma for c in rgb]
    out = []
    for row in p3_to_srgb:
        value = min(1.0, max(0.0, sum(m * v for m, v in zip(row, linear, strict=True))))
        encoded = 12.92 * value if value <= 0.0031308 else 1.055 * value ** (1 / 2.4) - 0.055
        out.append(round(encoded * 255))
    return tuple(out)


def test_an_embedded_display_p3_profile_is_converted_to_srgb(library, library_root):
    p3_colour = (200, 120, 80)
    Image.new("RGB", (400, 300), p3_colour).save(
        library_root / "p3.jpg", quality=98, icc_profile=display_p3_profile()
    )
    asset = asset_for(library, "p3.jpg")

    PreviewStage().run(asset)

    expected = srgb_from_p3(p3_colour)
    assert expected != p3_colour
    preview = open_derivative(asset, Derivative.PREVIEW)
    assert close(preview.getpixel((200, 150)), expected, tolerance=4), (
        preview.getpixel((200, 150)),
        expected,
    )
    assert not preview.info.get("icc_profile"), "the preview is plain sRGB; no profile left to misread"


def test_big_jpegs_are_decoded_at_reduced_scale(tmp_path):
    Image.new("RGB", (4000, 3000), (90, 120, 150)).save(tmp_path / "big.jpg", quality=80)

    reduced = images._open_pillow(tmp_path / "big.jpg", 1600, use_draft=True)
    full = images._open_pillow(tmp_path / "big.jpg", 1600, use_draft=False)

    assert reduced.size == (2000, 1500), "JPEG DCT scaling to 1/2 keeps the long edge above 1600"
    assert full.size == (4000, 3000)
    assert images.draft_request((4000, 3000), 1600) == (1600, 1200)


def test_thumbnail_stage_reuses_the_stored_preview(library, library_root):
    quadrant_pattern(600, 400).save(library_root / "photo.jpg")
    asset = asset_for(library, "photo.jpg")
    PreviewStage().run(asset)
    (library_root / "photo.jpg").unlink()  # from here on only the preview can feed the thumbnail

    path_for(asset.pk, Derivative.THUMBNAIL).unlink()
    ThumbnailStage().run(asset)

    assert open_derivative(asset, Derivative.THUMBNAIL).size == (256, 171)


def test_user_rotation_turns_the_derivatives_clockwise(library, library_root):
    quadrant_pattern(600, 400).save(library_root / "photo.jpg")
    asset = asset_for(library, "photo.jpg", user_rotation=90)

    PreviewStage().run(asset)

    preview = open_derivative(asset, Derivative.PREVIEW)
    assert preview.size == (400, 600)
    # Turned clockwise, the blue bottom-left corner comes to the top-left.
    assert close(quadrant_colours(preview)[0], BLUE)


@pytest.mark.parametrize(
    "name, save",
    [
        ("alpha.png", lambda p: Image.new("RGBA", (300, 200), (255, 0, 0, 0)).save(p)),
        ("grey16.png", lambda p: Image.new("I;16", (300, 200), 40000).save(p)),
        ("cmyk.jpg", lambda p: Image.new("CMYK", (300, 200), (0, 255, 255, 0)).save(p)),
        ("palette.gif", lambda p: quadrant_pattern(300, 200).convert("P").save(p)),
        ("photo.tiff", lambda p: quadrant_pattern(300, 200).save(p)),
        ("photo.bmp", lambda p: quadrant_pattern(300, 200).save(p)),
        ("photo.webp", lambda p: quadrant_pattern(300, 200).save(p)),
    ],
)
def test_other_formats_and_modes_become_rgb_derivatives(library, library_root, name, save):
    save(library_root / name)
    asset = asset_for(library, name)

    PreviewStage().run(asset)

    preview = open_derivative(asset, Derivative.PREVIEW)
    assert preview.mode == "RGB" and preview.size == (300, 200)
    if name == "alpha.png":
        assert close(preview.getpixel((10, 10)), (255, 255, 255), 2), "transparency shows as white, not black"


@override_settings(MEDIAHUB_PREVIEW_FORMAT="webp", MEDIAHUB_PREVIEW_SIZE=300, MEDIAHUB_THUMBNAIL_SIZE=64)
def test_preview_format_and_sizes_follow_the_settings(library, library_root):
    quadrant_pattern(600, 400).save(library_root / "photo.jpg")
    asset = asset_for(library, "photo.jpg")

    PreviewStage().run(asset)

    preview = open_derivative(asset, Derivative.PREVIEW)
    assert (preview.format, preview.size) == ("WEBP", (300, 200))
    assert open_derivative(asset, Derivative.THUMBNAIL).size == (64, 43)


def test_corrupt_photos_raise_a_clear_error(library, library_root):
    good = library_root / "good.jpg"
    quadrant_pattern(600, 400).save(good)
    (library_root / "truncated.jpg").write_bytes(good.read_bytes()[:300])
    (library_root / "noise.jpg").write_bytes(b"\x00not an image at all" * 50)

    for name in ("truncated.jpg", "noise.jpg"):
        with pytest.raises(images.ImageDecodeError, match=name):
            PreviewStage().run(asset_for(library, name))


@override_settings(MEDIAHUB_MAX_IMAGE_PIXELS=100_000)
def test_images_over_the_pixel_limit_are_refused_before_decoding(library, library_root):
    Image.new("RGB", (400, 300)).save(library_root / "bomb.png")

    with pytest.raises(images.ImageTooLarge, match="MEDIAHUB_MAX_IMAGE_PIXELS"):
        PreviewStage().run(asset_for(library, "bomb.png"))
    assert existing(asset_for(library, "bomb2.png").pk, Derivative.PREVIEW) is None


@pytest.mark.parametrize("order", [(ThumbnailStage, PreviewStage), (PreviewStage, ThumbnailStage)])
def test_both_stages_in_either_order_decode_the_original_once(library, library_root, monkeypatch, order):
    quadrant_pattern(600, 400).save(library_root / "photo.jpg")
    asset = asset_for(library, "photo.jpg")
    decoded = []
    real_open = images._open_pillow
    monkeypatch.setattr(
        images,
        "_open_pillow",
        lambda source, *a, **k: decoded.append(source.name) or real_open(source, *a, **k),
    )

    for stage in order:
        stage().run(asset)

    assert decoded == ["photo.jpg"]
    assert existing(asset.pk, Derivative.PREVIEW) and existing(asset.pk, Derivative.THUMBNAIL)


def test_a_jpeg_under_a_raw_name_still_gets_derivatives_and_a_broken_raw_a_raw_error(library, library_root):
    quadrant_pattern(600, 400).save(library_root / "DSC_0001.NEF", format="JPEG")
    (library_root / "DSC_0002.NEF").write_bytes(b"II*\x00" + b"\x00" * 200)

    PreviewStage().run(asset_for(library, "DSC_0001.NEF"))
    with pytest.raises(images.ImageDecodeError, match="cannot decode RAW"):
        PreviewStage().run(asset_for(library, "DSC_0002.NEF"))


def test_the_stage_records_the_bytes_of_what_it_wrote_and_the_command_measures_older_ones(library, library_root):
    quadrant_pattern(800, 600).save(library_root / "sized.jpg", quality=90)
    asset = asset_for(library, "sized.jpg")

    PreviewStage().run(asset)

    written = sum(existing(asset.pk, kind).stat().st_size for kind in (Derivative.THUMBNAIL, Derivative.PREVIEW))
    asset.refresh_from_db()
    assert asset.derivatives_size == written > 0
    type(asset).objects.filter(pk=asset.pk).update(derivatives_size=0)  # as before the column existed
    assert sizes.measure_all() == {"assets": 1, "changed": 1}
    asset.refresh_from_db()
    assert asset.derivatives_size == written
    assert sizes.measure_all() == {"assets": 1, "changed": 0}
