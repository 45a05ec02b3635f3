"""The Stats page's numbers (/api/stats/...): exact counts over what the caller sees, kept by the
triggers through inserts, edits, the trash and deletes, and album shares counted without leaking
the rest of the sharer's library."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from apps.albums import services as albums
from apps.albums.models import AlbumMember, Role
from apps.assets.models import Asset
from apps.stats.services import calendar, counts
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


def at(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def photos(user, other_user, library):
    """Alice's library: two photos from two cameras, a video, an undated HEIC and a trashed photo.
    Bob's: three photos, one of them in an album he shares with Alice."""
    mine = {
        "r5": AssetFactory(library=library, size=1000, derivatives_size=300, taken_at=at(2023, 5, 4, 10, 30),
                           taken_at_offset=120, camera_make="Canon", camera_model="Canon EOS R5",
                           lens="RF24-70mm F2.8", iso=100, f_number=2.8, exposure_time=1 / 125, focal_length=50),
        "z6": AssetFactory(library=library, size=2000, taken_at=at(2024, 12, 31, 23, 30), taken_at_offset=60,
                           camera_make="NIKON CORPORATION", camera_model="NIKON Z 6", iso=125, f_number=1.8,
                           exposure_time=1 / 160, focal_length=24),
        "clip": AssetFactory(library=library, kind=Asset.Kind.VIDEO, mime="video/mp4", size=5000,
                             derivatives_size=700, taken_at=at(2024, 6, 1, 8, 0)),
        "undated": AssetFactory(library=library, mime="image/heic", size=10, taken_at=None),
        "trashed": AssetFactory(library=library, size=9999, taken_at=at(2024, 6, 1, 9), deleted_at=timezone.now()),
    }
    theirs = LibraryFactory(owner=other_user, name="Bob's photos")
    shared = AssetFactory(library=theirs, mime="image/png", size=400, taken_at=at(2024, 6, 1, 20),
                          camera_make="SONY", camera_model="ILCE-7M3", iso=6400)
    for year in (2021, 2022):
        AssetFactory(library=theirs, size=50_000, taken_at=at(year, 1, 1, 12), camera_make="SONY",
                     camera_model="ILCE-7M3", iso=6400)
    album = albums.create_album(other_user, "Summer")
    albums.add_items(other_user, album, [shared.pk])
    AlbumMember.objects.create(album=album, user=user, role=Role.VIEWER)
    return {**mine, "shared": shared, "theirs": theirs}


def get(client, topic, **params):
    response = client.get(f"/api/stats/{topic}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_overview_counts_kinds_libraries_and_file_types_of_what_the_caller_sees(user_client, photos, library):
    body = get(user_client, "overview")
    assert body["total"] == {"count": 5, "bytes": 1000 + 2000 + 5000 + 10 + 400, "derivative_bytes": 1000}
    assert body["kinds"] == [
        {"kind": "photo", "count": 4, "bytes": 3410, "derivative_bytes": 300},
        {"kind": "video", "count": 1, "bytes": 5000, "derivative_bytes": 700},
    ]
    assert body["libraries"] == [
        {"id": library.pk, "name": library.name, "count": 4, "bytes": 8010, "derivative_bytes": 1000},
        {"id": None, "name": "Shared with you", "count": 1, "bytes": 400, "derivative_bytes": 0},
    ]
    assert body["file_types"] == [
        {"mime": "image/jpeg", "count": 2, "bytes": 3000},
        {"mime": "image/heic", "count": 1, "bytes": 10},
        {"mime": "image/png", "count": 1, "bytes": 400},
        {"mime": "video/mp4", "count": 1, "bytes": 5000},
    ]


def test_the_sharer_sees_their_whole_library_and_none_of_the_callers(other_client, photos):
    body = get(other_client, "overview")
    assert body["total"]["count"] == 3
    assert [item["name"] for item in body["libraries"]] == ["Bob's photos"]
    assert [year["year"] for year in get(other_client, "activity")["years"]] == [2021, 2022, 2024]


def test_activity_counts_years_and_months_in_utc_and_hours_on_the_cameras_clock(user_client, photos):
    body = get(user_client, "activity")
    assert [(y["year"], y["count"]) for y in body["years"]] == [(2023, 1), (2024, 3)]
    assert body["years"][1]["filters"] == {"taken_after": "2024-01-01T00:00:00Z", "taken_before": "2025-01-01T00:00:00Z"}
    assert [(m["month"], m["count"]) for m in body["months"]] == [("2023-05", 1), ("2024-06", 2), ("2024-12", 1)]
    assert body["months"][2]["filters"] == {"taken_after": "2024-12-01T00:00:00Z", "taken_before": "2025-01-01T00:00:00Z"}
    hours = {h["hour"]: h["count"] for h in body["hours"] if h["count"]}
    assert hours == {12: 1, 0: 1, 8: 1, 20: 1}  # 10:30 UTC at +2 is 12:30; 23:30 at +1 is 00:30
    weekdays = {w["name"]: w["count"] for w in body["weekdays"] if w["count"]}
    assert weekdays == {"Thursday": 1, "Wednesday": 1, "Saturday": 2}
    assert body["undated"] == 1
    assert get(user_client, "activity", kind="video")["years"] == [
        {"year": 2024, "count": 1, "filters": {"taken_after": "2024-01-01T00:00:00Z", "taken_before": "2025-01-01T00:00:00Z"}}
    ]


def test_calendar_lists_the_days_of_a_year_and_defaults_to_the_latest(user_client, photos):
    body = get(user_client, "calendar")
    assert body["year"] == 2024 and body["max"] == 2
    assert [(d["date"], d["count"]) for d in body["days"]] == [("2024-06-01", 2), ("2024-12-31", 1)]
    assert body["days"][0]["filters"] == {"taken_after": "2024-06-01T00:00:00Z", "taken_before": "2024-06-02T00:00:00Z"}
    assert get(user_client, "calendar", year=2023)["days"][0]["date"] == "2023-05-04"
    assert get(user_client, "calendar", year=1999) == {"year": 1999, "days": [], "max": 0}
    for bad in ("twenty", "0", "10000"):
        response = user_client.get("/api/stats/calendar/", {"year": bad})
        assert response.status_code == 400 and "year" in response.json()


def test_gear_ranks_cameras_lenses_and_pairs_with_their_grid_filters(user_client, photos):
    body = get(user_client, "gear")
    assert [(c["label"], c["count"]) for c in body["cameras"]] == [
        ("Canon EOS R5", 1), ("NIKON Z 6", 1), ("SONY ILCE-7M3", 1)]
    assert body["cameras"][0]["filters"] == {"camera_make": "Canon", "camera_model": "Canon EOS R5"}
    assert [(lens["label"], lens["count"]) for lens in body["lenses"]] == [("RF24-70mm F2.8", 1)]
    assert body["pairs"] == [{
        "make": "Canon", "model": "Canon EOS R5", "lens": "RF24-70mm F2.8", "label": "Canon EOS R5 + RF24-70mm F2.8",
        "count": 1, "filters": {"camera_make": "Canon", "camera_model": "Canon EOS R5", "lens": "RF24-70mm F2.8"},
    }]
    assert len(get(user_client, "gear", limit=1)["cameras"]) == 1
    assert user_client.get("/api/stats/gear/", {"limit": "0"}).status_code == 400


def test_exposure_buckets_whole_stops_with_range_filters(user_client, photos):
    body = get(user_client, "exposure")
    assert [(b["label"], b["count"]) for b in body["iso"]] == [("100–199", 2), ("6400–12799", 1)]
    assert body["iso"][0]["filters"] == {"iso_min": "100", "iso_max": "199"}
    assert [(b["label"], b["count"]) for b in body["aperture"]] == [("f/2", 1), ("f/2.8", 1)]
    assert body["aperture"][0]["filters"] == {"aperture_min": "1.7", "aperture_max": "2.39"}
    assert [(b["label"], b["count"]) for b in body["shutter"]] == [("1/125", 2)]
    assert [(b["label"], b["count"]) for b in body["focal"]] == [("24–28 mm", 1), ("50–70 mm", 1)]
    assert body["focal"][1]["filters"] == {"focal_length_min": "50", "focal_length_max": "69.99"}
    # Every bar's filters, given to the asset list, select exactly the bar's photos.
    for bucket in (bucket for dim in ("iso", "aperture", "shutter", "focal") for bucket in body[dim]):
        listed = user_client.get("/api/assets/", bucket["filters"])
        assert listed.status_code == 200, (bucket, listed.json())
        assert len(listed.json()["results"]) == bucket["count"], bucket


def test_counts_follow_edits_the_trash_restores_and_deletes(user_client, photos):
    Asset.objects.filter(pk=photos["clip"].pk).update(taken_at=at(2019, 3, 3, 3))
    assert [y["year"] for y in get(user_client, "activity")["years"]] == [2019, 2023, 2024]
    Asset.objects.filter(pk=photos["r5"].pk).update(deleted_at=timezone.now())
    Asset.objects.filter(pk=photos["trashed"].pk).update(deleted_at=None)
    body = get(user_client, "overview")
    assert body["total"]["count"] == 5 and body["total"]["bytes"] == 8010 - 1000 + 9999 + 400
    assert get(user_client, "gear")["lenses"] == []
    Asset.objects.filter(pk=photos["z6"].pk).update(derivatives_size=123)
    assert get(user_client, "overview")["total"]["derivative_bytes"] == 700 + 123
    photos["z6"].delete()
    assert get(user_client, "overview")["total"]["count"] == 4


def test_folding_the_deltas_keeps_every_count(user_client, photos, library):
    before = get(user_client, "activity")
    for year in range(2000, 2010):  # each update appends its own deltas
        Asset.objects.filter(pk=photos["clip"].pk).update(taken_at=at(year, 1, 1))
    Asset.objects.filter(pk=photos["clip"].pk).update(taken_at=at(2024, 6, 1, 8, 0))
    counts.compact([library.pk])
    assert get(user_client, "activity") == before


def test_a_bad_kind_is_refused_naming_the_field(user_client):
    for topic in ("overview", "activity", "calendar", "gear", "exposure"):
        response = user_client.get(f"/api/stats/{topic}/", {"kind": "poster"})
        assert response.status_code == 400 and "kind" in response.json()


def test_nothing_visible_gives_empty_statistics(other_client):
    assert get(other_client, "overview")["total"] == {"count": 0, "bytes": 0, "derivative_bytes": 0}
    assert get(other_client, "activity")["years"] == []
    assert calendar.parse_year("") is None
