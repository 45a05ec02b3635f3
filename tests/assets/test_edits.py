"""Metadata edits (title, description, capture time, location): stored as overrides that win
everywhere (timeline and its month counts, map, search, memories, the API), with the file's value
kept and revertable, and kept over a rescan."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from PIL.ExifTags import IFD, Base as BASE

from apps.assets.metadata.stage import MetadataStage
from apps.assets.models import Asset, AssetEdit, AssetMetadata
from apps.search.models import AssetSearch
from tests.assets.test_metadata import camera_exif, gradient
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db
ROME = (41.8933, 12.4829)


def at(year, month, day, hour=12):
    return datetime(year, month, day, hour, tzinfo=UTC)


def exif_taken(when: str):
    exif = camera_exif()
    exif.get_ifd(IFD.Exif)[BASE.DateTimeOriginal] = when
    return exif


def edit(client, asset, **body):
    return client.post(f"/api/assets/{asset.pk}/edit/", body, format="json")


def batch(client, assets, **body):
    return client.post("/api/assets/edit/", {"ids": [str(a.pk) for a in assets], **body}, format="json")


@pytest.fixture
def photo(library, library_root):
    """A real JPEG whose EXIF says 10 March 2024 14:15:16 +02:00, somewhere south-west, read by the stage."""
    gradient((80, 60)).save(library_root / "IMG_1.jpg", exif=camera_exif())
    asset = AssetFactory(library=library, path="IMG_1.jpg", filename="IMG_1.jpg", kind=Asset.Kind.PHOTO)
    MetadataStage().run(asset)
    asset.refresh_from_db()
    return asset


def test_an_edit_wins_and_the_detail_shows_the_files_values_until_reverted(user_client, photo):
    answer = edit(user_client, photo, title="Colosseum at dawn", description="Before the crowds",
                  taken_at="2019-07-01T06:30:00", time_zone="Europe/Rome", latitude=ROME[0], longitude=ROME[1])
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["title"], body["description"]) == ("Colosseum at dawn", "Before the crowds")
    assert body["taken_at"] == "2019-07-01T04:30:00Z" and body["taken_at_offset"] == 120  # CEST in July
    assert (body["latitude"], body["longitude"]) == ROME
    assert body["edited"]["taken_at"]["taken_at"] == "2024-03-10T12:15:16Z"
    assert body["edited"]["taken_at"]["taken_at_source"] == "exif"
    assert body["edited"]["location"]["latitude"] < 0 and body["edited"]["title"] == {"title": ""}

    reverted = edit(user_client, photo, revert=["taken_at", "location"]).json()
    assert reverted["taken_at"] == "2024-03-10T12:15:16Z" and reverted["latitude"] < 0
    assert set(reverted["edited"]) == {"title", "description"} and reverted["title"] == "Colosseum at dawn"
    edit(user_client, photo, revert=["title", "description"])
    assert not AssetEdit.objects.filter(asset=photo).exists()
    assert Asset.objects.get(pk=photo.pk).title == ""


def test_a_rescan_or_refresh_keeps_the_edit_and_records_the_files_new_values(user_client, photo, library_root):
    edit(user_client, photo, title="Mine", taken_at="2020-01-02T03:04:05+00:00")
    # The file changes on disk (another date in its EXIF), then the metadata stage reads it again.
    gradient((80, 60)).save(library_root / "IMG_1.jpg", exif=exif_taken("2023:05:06 07:08:09"))
    MetadataStage().run(Asset.objects.get(pk=photo.pk))
    asset = Asset.objects.get(pk=photo.pk)
    assert (asset.title, asset.taken_at) == ("Mine", datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert asset.taken_at_source == "edit" and asset.camera_model == "Canon EOS R5"
    original = AssetEdit.objects.get(asset=photo).original
    assert original["taken_at"]["taken_at"].startswith("2023-05-06T05:08:09")
    edit(user_client, photo, revert=["taken_at"])
    assert Asset.objects.get(pk=photo.pk).taken_at == datetime(2023, 5, 6, 5, 8, 9, tzinfo=UTC)


def test_the_edit_wins_in_timeline_counts_map_search_memories_and_previous_next(
        user, user_client, library, django_capture_on_commit_callbacks):
    user_client.force_login(user)  # the photo page too, for its previous/next links
    moved = AssetFactory(library=library, taken_at=at(2021, 3, 5), latitude=None, longitude=None)
    last = AssetFactory(library=library, taken_at=at(2021, 3, 9))
    first = AssetFactory(library=library, taken_at=at(2021, 3, 1))
    buckets = lambda: {b["bucket"]: b["count"] for b in user_client.get("/api/timeline/buckets/").json()}  # noqa: E731
    assert buckets() == {"2021-03": 3}
    assert user_client.get("/api/memories/", {"date": "2025-08-20"}).json()["memories"] == []  # oldest year: 2021
    assert f"/photos/{moved.pk}/" in user_client.get(f"/photos/{last.pk}/").content.decode()  # moved is older

    with django_capture_on_commit_callbacks(execute=True):
        assert edit(user_client, moved, taken_at="2018-08-20T10:00:00+00:00", title="Harbour fireworks",
                    latitude=ROME[0], longitude=ROME[1]).status_code == 200
    assert buckets() == {"2021-03": 2, "2018-08": 1}
    assert f"/photos/{first.pk}/" in user_client.get(f"/photos/{last.pk}/").content.decode()
    assert f"/photos/{moved.pk}/" not in user_client.get(f"/photos/{last.pk}/").content.decode()
    in_rome = user_client.get("/api/assets/", {"bbox": "12.4,41.8,12.6,42.0"}).json()["results"]
    assert [a["id"] for a in in_rome] == [str(moved.pk)]
    found = user_client.get("/api/search/", {"q": "fireworks"}).json()["results"]
    assert [a["id"] for a in found] == [str(moved.pk)]
    assert AssetSearch.objects.get(asset=moved).city == "Rome"  # the place follows the edited location
    memories = user_client.get("/api/memories/", {"date": "2025-08-20"}).json()["memories"]
    assert [(m["year"], [a["id"] for a in m["assets"]]) for m in memories] == [(2018, [str(moved.pk)])]


def test_a_selection_is_shifted_set_to_a_zone_and_located_all_at_once(user_client, library):
    first = AssetFactory(library=library, taken_at=at(2022, 5, 1, 10), taken_at_offset=None)
    second = AssetFactory(library=library, taken_at=at(2022, 5, 1, 11), taken_at_offset=60)
    answer = batch(user_client, [first, second], shift_seconds=-3600 * 26)
    assert answer.json() == {"updated": 2}
    assert Asset.objects.get(pk=first.pk).taken_at == at(2022, 4, 30, 8)
    # A zone keeps the camera's clock: 08:00 on an unknown clock becomes 08:00 in Tokyo.
    batch(user_client, [first], time_zone="Asia/Tokyo")
    first.refresh_from_db()
    tokyo = timezone(timedelta(hours=9))
    assert (first.taken_at_offset, first.taken_at) == (540, datetime(2022, 4, 30, 8, tzinfo=tokyo))
    # ...or the instant, with `keep: instant`.
    batch(user_client, [second], time_zone="+05:30", keep="instant")
    second.refresh_from_db()
    assert (second.taken_at, second.taken_at_offset) == (at(2022, 4, 30, 9), 330)

    source = AssetFactory(library=LibraryFactory(shared_with_all=True), latitude=48.85, longitude=2.35)
    assert batch(user_client, [first, second], copy_location_from=str(source.pk)).json() == {"updated": 2}
    located = Asset.objects.filter(pk__in=[first.pk, second.pk]).values_list("latitude", "longitude")
    assert set(located) == {(48.85, 2.35)}


def test_a_shift_out_of_1800_2200_names_the_photo_and_changes_nothing(user_client, library):
    fine = AssetFactory(library=library, taken_at=at(2000, 1, 1), filename="fine.jpg")
    old = AssetFactory(library=library, taken_at=at(1850, 1, 1), filename="old.jpg")
    answer = batch(user_client, [fine, old], shift_seconds=-60 * 366 * 24 * 3600)
    assert answer.status_code == 400
    assert "old.jpg" in str(answer.json()) and "1789" in str(answer.json())
    assert Asset.objects.get(pk=fine.pk).taken_at == at(2000, 1, 1)
    assert not AssetEdit.objects.exists()
    assert edit(user_client, fine, taken_at="2300-01-01T00:00:00").status_code == 400


BAD = [
    {"latitude": 91, "longitude": 0}, {"latitude": 10}, {"latitude": 1, "longitude": -180.5},
    {"latitude": "NaN", "longitude": 0}, {"taken_at": "yesterday"}, {"time_zone": "Mars/Olympus"},
    {"revert": ["camera"]}, {"taken_at": "2020-01-01T00:00:00", "shift_seconds": 60},
    {"taken_at": "0001-01-01T00:00:00+05:00"},
]


def test_bad_input_is_400_and_changes_nothing(user_client, library):
    asset = AssetFactory(library=library, taken_at=at(2020, 1, 1), latitude=1.0, longitude=2.0)
    for body in BAD:
        assert edit(user_client, asset, **body).status_code == 400, body
        assert batch(user_client, [asset], **body).status_code == 400, body
    assert not AssetEdit.objects.exists()


def test_a_batch_with_a_photo_not_theirs_is_refused_whole(user_client, library, other_user):
    mine = AssetFactory(library=library, taken_at=at(2020, 1, 1))
    shared = AssetFactory(library=LibraryFactory(owner=other_user, shared_with_all=True), taken_at=at(2020, 1, 1))
    hidden = AssetFactory(library=LibraryFactory(owner=other_user), taken_at=at(2020, 1, 1))
    assert batch(user_client, [mine, shared], shift_seconds=60).status_code == 403
    answer = batch(user_client, [mine, hidden], shift_seconds=60)
    assert answer.status_code == 404 and answer.json()["not_found"] == [str(hidden.pk)]
    assert Asset.objects.get(pk=mine.pk).taken_at == at(2020, 1, 1) and not AssetEdit.objects.exists()
    assert edit(user_client, shared, title="no").status_code == 403
    source = AssetFactory(library=LibraryFactory(owner=other_user), latitude=1.0, longitude=1.0)
    assert batch(user_client, [mine], copy_location_from=str(source.pk)).status_code == 400  # unseen: no location leaks


def test_the_edit_form_and_reverts_are_offered_to_who_may_change_the_photo_only(client, user, other_user, library):
    library.shared_with_all = True
    library.save()
    asset = AssetFactory(library=library, taken_at=at(2020, 1, 1), title="", kind=Asset.Kind.PHOTO)
    client.force_login(user)
    client.post(f"/api/assets/{asset.pk}/edit/", {"title": "Mine"}, content_type="application/json")
    page = client.get(f"/photos/{asset.pk}/").content.decode()
    assert "data-edit-form" in page and 'data-revert="title"' in page and "from the file: (none)" in page
    grid = client.get("/").content.decode()
    assert 'data-selection-event="shift-dates"' in grid and 'data-selection-event="set-location"' in grid
    assert "/api/assets/edit/" in grid
    client.force_login(other_user)  # sees the shared library, may not change it
    page = client.get(f"/photos/{asset.pk}/").content.decode()
    assert "data-edit-form" not in page and "data-revert" not in page and "from the file: (none)" in page


def test_an_edited_title_replaces_the_files_words_in_search(user_client, library):
    asset = AssetFactory(library=library, taken_at=at(2020, 1, 1), title="Old harbour")
    AssetMetadata.objects.create(asset=asset, tags={
        "XMP": '<x:xmpmeta><dc:title><rdf:Alt><rdf:li xml:lang="x-default">Old harbour</rdf:li></rdf:Alt></dc:title>'
               '<dc:subject><rdf:Bag><rdf:li>boats</rdf:li></rdf:Bag></dc:subject></x:xmpmeta>'})
    found = lambda q: [a["id"] for a in user_client.get("/api/search/", {"q": q}).json()["results"]]  # noqa: E731
    edit(user_client, asset, title="Fireworks")
    assert found("fireworks") == [str(asset.pk)] and found("boats") == [str(asset.pk)]
    assert found("harbour") == []
    edit(user_client, asset, revert=["title"])
    assert found("harbour") == [str(asset.pk)] and found("fireworks") == []
