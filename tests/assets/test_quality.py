"""Quality scores through the real preview and quality stages: a sharp photo outranks its blurred
copy, an over-exposed one is flagged, the list orders and filters by them, faces are judged by their
box and landmarks, and nobody sees the scores of photos they cannot see."""

import numpy as np
import pytest
from django.test import override_settings
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from apps.assets.models import Asset
from apps.assets.quality import measure
from apps.scanning.pipeline import run_stages
from tests.assets.media_samples import asset_for

pytestmark = pytest.mark.django_db
STAGES = ["apps.assets.derivatives.stage.PreviewStage", "apps.assets.quality.stage.QualityStage"]


def detailed(seed: int = 1, size=(900, 600)) -> Image.Image:
    """A scene with edges everywhere: shapes and lines of many colours on a mid-grey ground."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", size, (120, 120, 120))
    draw = ImageDraw.Draw(image)
    for _ in range(160):
        x, y = int(rng.integers(0, size[0])), int(rng.integers(0, size[1]))
        w, h = int(rng.integers(8, 90)), int(rng.integers(8, 90))
        colour = tuple(int(c) for c in rng.integers(30, 220, 3))
        if rng.random() < 0.5:
            draw.rectangle((x, y, x + w, y + h), fill=colour)
        else:
            draw.line((x, y, x + w, y + h), fill=colour, width=int(rng.integers(1, 4)))
    return image


def indexed(library, name: str, image: Image.Image) -> Asset:
    """The photo saved under the library and taken through the preview and quality stages."""
    path = f"{library.root_path}/{name}"
    image.save(path, quality=92)
    asset = asset_for(library, name, width=image.width, height=image.height)
    with override_settings(MEDIAHUB_PIPELINE_STAGES=STAGES):
        report = run_stages([asset.pk])
    assert report.failed == 0, report.errors
    return Asset.objects.select_related("quality_detail").get(pk=asset.pk)


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()["results"]]


def test_a_sharp_photo_outscores_its_blurred_copy_which_alone_is_flagged_blurry(library, user_client):
    scene = detailed()
    sharp = indexed(library, "sharp.jpg", scene)
    blurred = indexed(library, "blurred.jpg", scene.filter(ImageFilter.GaussianBlur(4)))

    assert sharp.quality > blurred.quality + 20, (sharp.quality, blurred.quality)
    assert sharp.quality_detail.sharpness > 5 * blurred.quality_detail.sharpness
    assert not sharp.quality_detail.blurry and blurred.quality_detail.blurry

    assert ids(user_client.get("/api/assets/?ordering=-quality")) == [str(sharp.pk), str(blurred.pk)]
    assert ids(user_client.get("/api/assets/?ordering=quality")) == [str(blurred.pk), str(sharp.pk)]
    assert ids(user_client.get("/api/assets/?blurry=true")) == [str(blurred.pk)]
    assert ids(user_client.get("/api/assets/?blurry=false")) == [str(sharp.pk)]
    assert ids(user_client.get(f"/api/assets/?quality_min={sharp.quality}")) == [str(sharp.pk)]
    assert ids(user_client.get(f"/api/assets/?quality_max={blurred.quality}")) == [str(blurred.pk)]
    detail = user_client.get(f"/api/assets/{blurred.pk}/").json()
    assert detail["quality"] == blurred.quality and detail["quality_detail"]["blurry"] is True


def test_an_over_exposed_photo_is_flagged_and_scores_below_the_well_exposed_one(library, user_client):
    scene = detailed(2)
    normal = indexed(library, "normal.jpg", scene)
    burnt = indexed(library, "burnt.jpg", ImageEnhance.Brightness(scene).enhance(3.0))

    assert burnt.quality_detail.highlights > 0.5
    assert burnt.quality_detail.badly_exposed and not normal.quality_detail.badly_exposed
    assert burnt.quality < normal.quality
    assert ids(user_client.get("/api/assets/?badly_exposed=true")) == [str(burnt.pk)]
    assert ids(user_client.get("/api/assets/?badly_exposed=false")) == [str(normal.pk)]


def test_the_largest_face_is_judged_by_its_focus_its_size_and_the_landmarks_pose():
    grey = np.asarray(detailed(3).convert("L"), dtype=np.float32).copy()
    soft = np.asarray(detailed(3).convert("L").filter(ImageFilter.GaussianBlur(5)), dtype=np.float32)
    grey[:, 450:] = soft[:, 450:]  # the right half out of focus
    frontal = [(100, 100), (160, 100), (130, 130), (110, 160), (150, 160)]
    profile = [(100, 100), (160, 100), (158, 130), (110, 160), (150, 160)]

    def face(x, landmarks, size=200):
        return measure.FaceBox(x, 150, size, size, landmarks, 900, 600)

    in_focus = measure.measure(grey, [face(100, frontal), face(600, frontal, size=40)])
    out_of_focus = measure.measure(grey, [face(600, frontal)])
    turned = measure.measure(grey, [face(100, profile)])

    assert in_focus.face_sharpness > 5 * out_of_focus.face_sharpness
    assert in_focus.face_size == pytest.approx(200 / 600)
    assert in_focus.frontal == pytest.approx(1.0) and turned.frontal < 0.1
    assert in_focus.score > turned.score > out_of_focus.score
    assert out_of_focus.blurry and not in_focus.blurry


def test_a_quality_minimum_above_the_maximum_is_a_400_naming_it(user_client):
    response = user_client.get("/api/assets/?quality_min=80&quality_max=20")
    assert response.status_code == 400 and "quality_max" in response.json()
    assert user_client.get("/api/assets/?quality_min=101").status_code == 400


def test_filter_options_count_scores_and_flags_of_what_the_caller_sees_only(library, user_client, other_client):
    scene = detailed(4)
    indexed(library, "sharp.jpg", scene)
    blurred = indexed(library, "blurred.jpg", scene.filter(ImageFilter.GaussianBlur(4)))
    query = "/api/search/filter-options/?dimension=quality&dimension=blurry&dimension=badly_exposed"
    mine = {d["dimension"]: d for d in user_client.get(query).json()}
    assert mine["quality"]["min"] == blurred.quality and mine["quality"]["param"] == "quality_min"
    assert sum(option["count"] for option in mine["quality"]["options"]) == 2
    assert {o["value"]: o["count"] for o in mine["blurry"]["options"]} == {True: 1, False: 1}
    theirs = {d["dimension"]: d for d in other_client.get(query).json()}
    assert theirs["quality"]["options"] == [] and "min" not in theirs["quality"]
    assert theirs["blurry"]["options"] == []
    assert ids(other_client.get("/api/assets/?quality_min=0")) == []
    assert other_client.get(f"/api/assets/{blurred.pk}/").status_code == 404
