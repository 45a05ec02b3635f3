"""Timeline buckets for the scrubber (/api/timeline/buckets/) and the grid's jump and upward pages."""

import re
from datetime import UTC, datetime

import pytest

from apps.albums import services as albums
from apps.albums.models import AlbumMember, Role
from apps.assets.explore import timeline
from apps.assets.models import Asset, TimelineMonthDelta
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db


def at(year, month, day=1, hour=12):
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def spread(library, other_user):
    AssetFactory(library=LibraryFactory(owner=other_user), taken_at=at(2020, 1))  # not alice's
    return [AssetFactory(library=library, taken_at=when) for when in
            (at(2024, 6, 3), at(2024, 6, 3), at(2024, 6, 20), at(2023, 12, 31, 23), at(2019, 2, 1))]


def test_buckets_count_what_the_caller_sees_per_month_newest_first(user_client, spread):
    body = user_client.get("/api/timeline/buckets/").json()
    assert [(row["bucket"], row["count"]) for row in body] == [("2024-06", 3), ("2023-12", 1), ("2019-02", 1)]
    assert body[0]["before"].startswith("2024-07-01T00:00:00")


def test_buckets_inside_a_month_count_per_day_and_follow_the_filters(user_client, spread):
    by_day = user_client.get("/api/timeline/buckets/", {"month": "2024-06"}).json()
    assert [(row["bucket"], row["count"]) for row in by_day] == [("2024-06-20", 1), ("2024-06-03", 2)]
    spread[2].kind = Asset.Kind.VIDEO
    spread[2].save()
    videos = user_client.get("/api/timeline/buckets/", {"kind": "video"}).json()
    assert [(row["bucket"], row["count"]) for row in videos] == [("2024-06", 1)]
    assert user_client.get("/api/timeline/buckets/", {"month": "June"}).status_code == 400


def test_whole_library_counts_follow_trash_deletion_and_new_dates(user_client, user, spread):
    def months():
        return {row["bucket"]: row["count"] for row in user_client.get("/api/timeline/buckets/").json()}

    Asset.objects.filter(pk=spread[0].pk).update(deleted_at=at(2025, 1))  # to the trash
    spread[1].delete()
    Asset.objects.filter(pk=spread[4].pk).update(taken_at=at(2018, 5))  # the metadata stage's real date
    assert months() == {"2024-06": 1, "2023-12": 1, "2018-05": 1}
    timeline.compact([spread[0].library_id])
    assert TimelineMonthDelta.objects.filter(library=spread[0].library).count() == 3
    assert months() == {"2024-06": 1, "2023-12": 1, "2018-05": 1}


def test_an_album_member_counts_the_photos_shared_with_them_and_nothing_else(other_client, other_user, user, spread):
    album = albums.create_album(user, "Winter")
    albums.add_items(user, album, [spread[4].pk])
    AlbumMember.objects.create(album=album, user=other_user, role=Role.VIEWER)
    counts = {row["bucket"]: row["count"] for row in other_client.get("/api/timeline/buckets/").json()}
    assert counts == {"2020-01": 1, "2019-02": 1}  # their own library and the one shared photo


def test_a_jump_shows_the_month_and_loads_newer_pages_upwards(client, user, library):
    photos = [AssetFactory(library=library, taken_at=at(2024, month)) for month in range(1, 13)]
    client.force_login(user)
    jump = client.get("/", {"at": "2024-06-01T00:00:00+00:00"}, HTTP_HX_REQUEST="true").content.decode()
    shown = re.findall(r'data-asset="([0-9a-f-]+)"', jump)
    assert shown == [str(p.pk) for p in reversed(photos[:5])]  # May down to January
    newer = re.search(r'data-newer hx-get="([^"]+)"', jump).group(1).replace("&amp;", "&")
    above = client.get(f"/{newer}", HTTP_HX_REQUEST="true").content.decode()
    assert re.findall(r'data-asset="([0-9a-f-]+)"', above) == [str(p.pk) for p in reversed(photos[5:])]
    assert "data-newer" not in above, "nothing is newer than December"
    assert client.get("/", {"at": "last tuesday"}).status_code == 400
