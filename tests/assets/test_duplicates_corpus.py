"""Near-duplicate detection on the real corpus: the IMG_4120 triple, and re-encoded copies of corpus photos."""

import shutil
from pathlib import Path

import pytest
from PIL import Image

from apps.assets.duplicates import services
from apps.assets.models import DuplicateGroup
from tests.assets.duplicates_samples import indexed
from tests.assets.media_samples import library_at
from tests.corpus import CORPUS, needs_corpus

EXAMPLES = CORPUS / "jpeg_exif" / "photoprism" / "assets" / "examples"
TRIPLE = {"IMG_4120.JPG", "IMG_4120 (1).JPG", "IMG_4120 copy.JPG"}
# Distinct photos of the same folder that must stay apart from the triple and from each other.
DISTINCT = ["beach_wood.jpg", "cat_black.jpg", "cat_brown.jpg", "dog_orange.jpg", "elephants.jpg", "palms_beach.jpg"]

pytestmark = needs_corpus


def groups():
    return {(g.kind, frozenset(m.asset.filename for m in g.members.all())) for g in DuplicateGroup.objects.open()}


@pytest.mark.django_db
def test_the_img_4120_triple_and_reencoded_corpus_copies_are_found(tmp_path, user):
    for name in [*TRIPLE, *DISTINCT]:
        shutil.copy(EXAMPLES / name, tmp_path / name)
    with Image.open(EXAMPLES / "elephants.jpg") as photo:
        photo.convert("RGB").resize((photo.width // 2, photo.height // 2)).save(tmp_path / "elephants small.jpg", quality=70)
        photo.convert("RGB").save(tmp_path / "elephants.webp", quality=60)
    library = library_at(tmp_path, user)
    for path in sorted(Path(tmp_path).iterdir()):
        indexed(library, path.name)

    services.find_duplicates()

    found = groups()
    assert ("exact", frozenset(TRIPLE)) in found
    assert ("near", frozenset({"elephants.jpg", "elephants small.jpg", "elephants.webp"})) in found
    assert len(found) == 2, found  # nothing else: the distinct photos stay apart
