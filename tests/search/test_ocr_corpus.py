"""Photos of the real-media corpus that show text (a game screen, a screenshot, a sign, a number
plate, a poster) are found by a word painted in them, after the real preview and ocr stages."""

import shutil

import pytest

from apps.scanning.pipeline import run_stages
from apps.search.models import AssetText
from tests.assets.media_samples import asset_for
from tests.corpus import CORPUS, needs_corpus

pytestmark = [*needs_corpus, pytest.mark.django_db]

# corpus file -> a word painted in it (as the search box takes it)
SHOWING_TEXT = {
    # The Japanese game screen: a Gran Turismo capture (EXIF Software "Polyphony Digital Inc."),
    # its car's plate reads "EVOLUTION VI".
    "jpeg_exif/exif-samples/tests/45-gps_ifd.jpg": "evolution",
    "png_webp_gif_tiff/png/photoprism/screenshot.png": "sidecar",
    "jpeg_exif/metadata-extractor/Sony DSC-HX5V (2).jpg": "notruf",
    "jpeg_exif/exif-samples/tests/35-empty.jpg": "carson",
    "png_webp_gif_tiff/webp/metadata-extractor/webpvp8x.webp": "titans",
}


def test_photos_showing_text_are_found_by_a_word_in_them(library, library_root, user_client):
    photos = {}
    for n, (name, word) in enumerate(SHOWING_TEXT.items()):
        relative = f"text/{n}{(CORPUS / name).suffix.lower()}"
        (library_root / "text").mkdir(exist_ok=True)
        shutil.copyfile(CORPUS / name, library_root / relative)
        photos[name] = asset_for(library, relative)
    report = run_stages([photo.pk for photo in photos.values()], ["metadata", "preview", "search", "ocr"])
    assert report.failed == 0, report.errors

    missed = {}
    for name, word in SHOWING_TEXT.items():
        found = [row["id"] for row in user_client.get("/api/search/", {"q": word}).json()["results"]]
        if str(photos[name].pk) not in found:
            missed[name] = (word, AssetText.objects.get(asset=photos[name]).text)
    assert not missed, missed
