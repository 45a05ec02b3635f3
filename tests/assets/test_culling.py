"""Culling: series (bursts, stacks made by hand, capture-time runs of near pHashes of one camera),
their suggested best by quality score, pages that never cut a run, and decisions that only ever set
the caller's own rejected flags."""

from datetime import datetime, timedelta, timezone

import pytest

from apps.assets.models import Asset, AssetUserState
from apps.assets.stacks import services as stacks
from tests.factories import AssetFactory, LibraryFactory

pytestmark = pytest.mark.django_db
NOON = datetime(2024, 6, 2, 12, 0, tzinfo=timezone.utc)
SERIES = "/api/culling/series/"
DECISIONS = "/api/culling/decisions/"


def shot(library, seconds, phash=0, quality=None, camera="X100V", **fields):
    return AssetFactory(library=library, taken_at=NOON + timedelta(seconds=seconds), camera_make="Fujifilm",
                        camera_model=camera, phash=phash, quality=quality, **fields)


@pytest.fixture
def shots(library):
    """A run of three (0-6 s), a photo of another camera in its middle, a lone photo after a gap and a
    far pHash two seconds after it, a burst stack of three and a RAW+JPEG pair."""
    made = {
        "a": shot(library, 0, 0b0, 50), "b": shot(library, 3, 0b111, 80), "c": shot(library, 6, 0b1, 60),
        "other_camera": shot(library, 4, 0b0, 90, camera="EOS R5"),
        "lone": shot(library, 40, 0b0, 70), "far": shot(library, 42, -1, 75),
        "g": shot(library, 100, 0, 40), "h": shot(library, 100.5, 0, 65), "i": shot(library, 101, 0, None),
        "raw": shot(library, 200, 0, 30), "jpeg": shot(library, 200, 0, 31),
    }
    stacks.join([made["g"], made["h"], made["i"]], kind="burst", cover=made["g"])
    stacks.join([made["raw"], made["jpeg"]], kind="raw_jpeg", cover=made["jpeg"])
    return made


def members(series) -> list[str]:
    return [m["id"] for m in series["members"]]


def test_bursts_and_capture_time_runs_are_series_with_the_best_score_suggested(user_client, shots):
    body = user_client.get(SERIES).json()
    assert body["next"] is None
    burst, run = body["results"]  # newest first; the RAW+JPEG pair is one shot, lone photos are none
    assert burst["kind"] == "burst" and members(burst) == [str(shots[k].pk) for k in "ghi"]
    assert burst["best"] == str(shots["h"].pk)
    assert run["kind"] == "similar" and members(run) == [str(shots[k].pk) for k in "abc"]
    assert run["best"] == str(shots["b"].pk)
    assert [m["quality"] for m in run["members"]] == [50, 80, 60]
    assert all(m["thumbnail"] and m["preview"] and m["rejected"] is False for m in run["members"])


def test_a_page_ends_only_at_a_quiet_gap_and_the_next_one_goes_on(user_client, shots):
    first = user_client.get(SERIES, {"page_size": 1}).json()
    assert [s["kind"] for s in first["results"]] == ["burst"] and first["next"]
    second = user_client.get(first["next"]).json()
    assert [members(s) for s in second["results"]] == [[str(shots[k].pk) for k in "abc"]]
    assert second["next"] is None or user_client.get(second["next"]).json()["results"] == []
    assert user_client.get(SERIES, {"cursor": "nonsense"}).status_code == 400


def test_the_asset_filters_narrow_the_series(user_client, shots):
    after = (NOON + timedelta(seconds=50)).isoformat()
    body = user_client.get(SERIES, {"taken_after": after}).json()
    assert [s["kind"] for s in body["results"]] == ["burst"]


def test_decisions_set_only_the_callers_own_rejected_flags_and_delete_nothing(user, other_user, user_client, shots):
    a, b, c = shots["a"], shots["b"], shots["c"]
    AssetUserState.objects.create(user=user, asset=b, rejected=True)
    answer = user_client.post(DECISIONS, {"keep": [str(b.pk)], "reject": [str(a.pk), str(c.pk)]}, format="json")
    assert answer.status_code == 200 and answer.json() == {"kept": 1, "rejected": 2}
    mine = dict(AssetUserState.objects.filter(user=user).values_list("asset_id", "rejected"))
    assert mine == {a.pk: True, b.pk: False, c.pk: True}
    assert not AssetUserState.objects.filter(user=other_user).exists()
    assert Asset.objects.filter(pk__in=[a.pk, c.pk], deleted_at__isnull=True).count() == 2
    run = next(s for s in user_client.get(SERIES).json()["results"] if s["kind"] == "similar")
    assert [m["rejected"] for m in run["members"]] == [True, False, True]
    listed = {row["id"] for row in user_client.get("/api/assets/?rejected=false&stacked=true").json()["results"]}
    assert str(b.pk) in listed and str(a.pk) not in listed

    both = user_client.post(DECISIONS, {"keep": [str(a.pk)], "reject": [str(a.pk)]}, format="json")
    assert both.status_code == 400
    assert user_client.post(DECISIONS, {}, format="json").status_code == 400


def test_another_users_series_scores_and_flags_stay_out_of_reach(other_user, other_client, user, shots):
    assert other_client.get(SERIES).json()["results"] == []
    theirs = shot(LibraryFactory(owner=other_user), 0, 0, 10)
    refused = other_client.post(DECISIONS, {"reject": [str(theirs.pk), str(shots["a"].pk)]}, format="json")
    assert refused.status_code == 404 and refused.json()["not_found"] == [str(shots["a"].pk)]
    assert not AssetUserState.objects.exists()  # all or nothing: not even their own photo was flagged


def test_a_page_of_series_costs_the_same_queries_however_many_series_it_holds(
    library, user_client, shots, django_assert_max_num_queries
):
    for n in range(8):  # eight more runs and four more bursts, an hour apart each
        start = 3600 * (n + 1)
        shot(library, start, 0, 50), shot(library, start + 2, 1, 60)
        if n % 2:
            stacks.join([shot(library, start + 1800 + i, 0, 40 + i) for i in range(3)], kind="burst")
    with django_assert_max_num_queries(6):
        body = user_client.get(SERIES, {"page_size": 50}).json()
    assert len(body["results"]) == 2 + 8 + 4
