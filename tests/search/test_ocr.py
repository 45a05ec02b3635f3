"""Text in photos: the "ocr" stage reads the stored preview with the real RapidOCR engine, stores
lines with normalised boxes, and search finds the words; nobody else sees them.

The engine loads once per test process (about 1 s) and a photo costs about a second on a CPU: one
test reads one photo through the real stages and checks the whole flow; the others use stored rows."""

import sys

import pytest

from apps.scanning.models import AssetStage
from apps.scanning.pipeline import run_stages
from apps.search.models import AssetText
from apps.search.ocr import engine, reading
from apps.search.ocr.stage import TextStage
from tests.assets.media_samples import asset_for
from tests.factories import LibraryFactory

from .helpers import indexed
from .ocr_samples import painted

pytestmark = pytest.mark.django_db


def lines_of(body) -> list[str]:
    return [line["text"] for line in body["lines"]]


def test_words_painted_in_a_photo_are_read_stored_and_found_by_search_for_its_owner_only(
    library, library_root, user, user_client, other_client, client
):
    painted(library_root / "street/sign.jpg", [("ZANZIBAR BAKERY", (60, 120)), ("open daily", (60, 320))])
    photo = asset_for(library, "street/sign.jpg")
    report = run_stages([photo.pk], ["metadata", "preview", "search", "ocr"])  # as a worker runs them

    assert report.failed == 0, report.errors
    assert AssetStage.objects.get(asset=photo, stage="ocr").done_at is not None
    stored = AssetText.objects.get(asset=photo)
    # PP-OCRv4's recogniser may drop a narrow space ("opendaily"): the letters are what is compared.
    assert stored.text.split("\n")[0] == "ZANZIBAR BAKERY" and stored.engine == engine.MODEL
    assert [line["text"].replace(" ", "") for line in stored.lines] == ["ZANZIBARBAKERY", "opendaily"]
    first = stored.lines[0]
    assert 0.6 <= first["confidence"] <= 1
    # Painted from (60, 120) on a 960x540 photo in 64 px letters: the box is there, as fractions.
    xs, ys = [x for x, _ in first["box"]], [y for _, y in first["box"]]
    assert 0.03 < min(xs) < 0.09 and 0.5 < max(xs) < 0.9
    assert 0.19 < min(ys) < 0.26 and 0.3 < max(ys) < 0.4

    # The search stage ran first: the ocr stage put the words into the document itself.
    assert [row["id"] for row in user_client.get("/api/search/", {"q": "zanzibar"}).json()["results"]] == [str(photo.pk)]
    assert other_client.get("/api/search/", {"q": "zanzibar"}).json()["results"] == []
    client.force_login(user)
    assert f'data-asset="{photo.pk}"' in client.get("/search/", {"q": "bakery"}).content.decode()

    body = user_client.get(f"/api/assets/{photo.pk}/text/").json()
    assert lines_of(body) == [line["text"] for line in stored.lines] and body["read_at"] and len(body["lines"][0]["box"]) == 4
    assert other_client.get(f"/api/assets/{photo.pk}/text/").status_code == 404

    html = client.get(f"/photos/{photo.pk}/").content.decode()
    assert "<li>ZANZIBAR BAKERY</li>" in html and "data-text-toggle" in html
    assert f'data-text-url="/api/assets/{photo.pk}/text/"' in html


def test_a_photo_not_read_yet_answers_empty_and_without_the_engine_503_naming_the_model(user_client, user, monkeypatch):
    photo = indexed(library=LibraryFactory(owner=user))
    body = user_client.get(f"/api/assets/{photo.pk}/text/").json()
    assert body["lines"] == [] and body["text"] == "" and body["read_at"] is None

    monkeypatch.setitem(sys.modules, engine.PACKAGE, None)  # as if rapidocr_onnxruntime were not installed
    response = user_client.get(f"/api/assets/{photo.pk}/text/")
    assert response.status_code == 503 and engine.MODEL in response.json()["detail"]
    assert TextStage().applies_to(photo) is False  # ingest completes; the photos wait for the package
    coverage = {row["embedding"]: row for row in user_client.get("/api/search/coverage/").json()["embeddings"]}
    assert coverage["ocr"]["available"] is False and engine.PACKAGE in coverage["ocr"]["reason"]


def test_text_read_again_replaces_the_old_words_in_the_search_document(user_client, user):
    photo = indexed(library=LibraryFactory(owner=user))
    reading.store([(photo, [engine.Line("Kilimanjaro", 0.9, [[0, 0], [1, 0], [1, 0.1], [0, 0.1]])])])
    assert len(user_client.get("/api/search/", {"q": "kilimanjaro"}).json()["results"]) == 1
    reading.store([(photo, [])])  # read again: no text any more
    assert user_client.get("/api/search/", {"q": "kilimanjaro"}).json()["results"] == []
    assert AssetText.objects.get(asset=photo).lines == []


def test_words_run_together_by_the_reader_and_japanese_lines_are_found_by_a_word_inside(user_client, user):
    photo = indexed(library=LibraryFactory(owner=user))
    box = [[0, 0], [1, 0], [1, 0.1], [0, 0.1]]
    reading.store([(photo, [engine.Line("COMMANDMIGHTYTITANS", 0.95, box), engine.Line("ゲームスタート", 0.9, box)])])
    for word in ("titans", "mighty", "スタート", "ゲーム"):
        assert [row["id"] for row in user_client.get("/api/search/", {"q": word}).json()["results"]] == [str(photo.pk)], word
    assert user_client.get("/api/search/", {"q": "titanic"}).json()["results"] == []
