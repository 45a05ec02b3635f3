"""Stacks: found by a scan (RAW+JPEG, bursts, live photos), one tile per stack in lists, made and
taken apart by hand, covers handed over by the trash, downloads of a RAW developed to JPEG."""

import pytest
from django.urls import reverse

from apps.assets.models import Asset, Stack
from apps.assets.stacks import auto
from tests.assets.media_samples import library_at
from tests.corpus import CORPUS, needs_corpus
from tests.assets.stack_samples import STAGES, make_stacks, motion_photo, scan

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def stack_files(tmp_path_factory):
    """Made once: the tests only read them (each scans them into its own database)."""
    root = tmp_path_factory.mktemp("stacks")
    make_stacks(root)
    return root


@pytest.fixture
def stacked(settings, user, stack_files):
    settings.MEDIAHUB_PIPELINE_STAGES = STAGES
    scan(library_at(stack_files, user))
    return {a.filename: a for a in Asset.objects.filter(library__owner=user)}


def listed(client, **params):
    rows = client.get(reverse("asset-list"), params).json()["results"]
    return {row["filename"]: row for row in rows}


def test_a_scan_stacks_raw_jpeg_pairs_bursts_and_live_photos_under_the_right_cover(stacked):
    stacks = {stack.kind: stack for stack in Stack.objects.all()}
    assert set(stacks) == {"raw_jpeg", "burst", "live"}
    assert stacks["raw_jpeg"].primary.filename == "IMG_1.JPG"  # the JPEG before its RAW
    assert stacks["live"].primary.filename == "IMG_9.jpg"  # the still before its clip
    assert stacks["burst"].primary.filename == "B_1.jpg"  # the first shot
    assert sorted(a.filename for a in stacks["burst"].assets.all()) == ["B_1.jpg", "B_2.jpg", "B_3.jpg"]
    assert stacked["Alone.jpg"].stack_id is None
    assert stacked["IMG_1.DNG"].covered_by_id == stacked["IMG_1.JPG"].pk


def test_lists_show_a_stack_as_its_cover_with_the_count_and_stacked_true_shows_every_member(stacked, user_client):
    shown = listed(user_client)
    assert set(shown) == {"IMG_1.JPG", "B_1.jpg", "Alone.jpg", "IMG_9.jpg"}
    assert shown["B_1.jpg"]["stack_count"] == 3 and shown["Alone.jpg"]["stack_count"] is None
    assert len(listed(user_client, stacked="true")) == 8
    member = stacked["B_2.jpg"]
    assert user_client.get(reverse("asset-detail", args=[member.pk])).status_code == 200  # reachable by id


def test_stacking_again_changes_nothing(stacked):
    before = sorted(Asset.objects.values_list("filename", "stack_id", "covered_by_id"))
    for asset in Asset.objects.all():
        auto.stack_automatically(asset)
    assert sorted(Asset.objects.values_list("filename", "stack_id", "covered_by_id")) == before


def test_a_stack_taken_apart_by_hand_is_not_stacked_again(stacked, user_client):
    burst = stacked["B_1.jpg"].stack_id
    assert user_client.delete(reverse("stack-detail", args=[burst])).status_code == 204
    for asset in Asset.objects.filter(filename__startswith="B_"):
        auto.stack_automatically(asset)
    assert not Asset.objects.filter(filename__startswith="B_", stack__isnull=False).exists()
    assert len(listed(user_client)) == 6


def test_stack_by_hand_with_a_cover_then_change_the_cover_and_unstack_the_selection(stacked, user_client):
    alone, raw = stacked["Alone.jpg"], stacked["IMG_1.DNG"]
    reply = user_client.post(reverse("stack-list"), {"assets": [str(alone.pk), str(raw.pk)], "cover": str(raw.pk)}, format="json")
    assert reply.status_code == 201, reply.content
    body = reply.json()
    # The RAW's pair came along: one stack of three, with the chosen cover.
    assert (body["kind"], body["cover"], body["count"]) == ("manual", str(raw.pk), 3)
    reply = user_client.post(reverse("stack-cover", args=[body["id"]]), {"cover": str(alone.pk)}, format="json")
    assert reply.json()["cover"] == str(alone.pk)
    assert "Alone.jpg" in listed(user_client) and "IMG_1.DNG" not in listed(user_client)
    reply = user_client.post(reverse("stack-unstack"), {"assets": [str(alone.pk)]}, format="json")
    assert reply.json() == {"unstacked": 3}
    assert {"Alone.jpg", "IMG_1.DNG", "IMG_1.JPG"} <= set(listed(user_client))


def test_only_photos_the_caller_may_change_are_stacked(stacked, other_client, user, other_user, user_client):
    from tests.factories import AssetFactory, LibraryFactory

    others = AssetFactory(library=LibraryFactory(owner=other_user))
    mine = stacked["Alone.jpg"]
    ids = [str(mine.pk), str(others.pk)]
    assert user_client.post(reverse("stack-list"), {"assets": ids}, format="json").status_code == 404
    burst = stacked["B_1.jpg"].stack_id
    assert other_client.get(reverse("stack-detail", args=[burst])).status_code == 404
    assert other_client.delete(reverse("stack-detail", args=[burst])).status_code == 404
    assert not Stack.objects.filter(assets=others).exists()


def test_trashing_the_cover_promotes_another_member_and_restoring_brings_the_stack_back(stacked, user_client):
    cover, second = stacked["B_1.jpg"], stacked["B_2.jpg"]
    assert user_client.delete(reverse("asset-detail", args=[cover.pk])).status_code == 204
    shown = listed(user_client)
    assert "B_1.jpg" not in shown and shown["B_2.jpg"]["stack_count"] == 2
    second.refresh_from_db()
    assert second.covered_by_id is None and second.stack.primary_id == second.pk
    assert user_client.post(reverse("trash-restore"), {"ids": [str(cover.pk)]}, format="json").status_code == 200
    shown = listed(user_client)
    assert shown["B_2.jpg"]["stack_count"] == 3 and "B_1.jpg" not in shown


def test_the_detail_view_shows_the_members_and_offers_the_raw_the_jpeg_and_their_cover(stacked, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    raw = stacked["IMG_1.DNG"]
    page = client.get(reverse("photo-detail", args=[raw.pk])).content.decode()
    assert page.count("data-member=") == 2
    assert reverse("asset-original", args=[stacked["IMG_1.JPG"].pk]) in page
    assert reverse("asset-developed", args=[raw.pk]) not in page  # the camera's JPEG is there


def test_a_raw_without_a_jpeg_downloads_as_a_developed_jpeg(stacked, user_client):
    raw, jpeg = stacked["IMG_1.DNG"], stacked["IMG_1.JPG"]
    reply = user_client.get(reverse("asset-developed", args=[raw.pk]))
    assert reply.status_code == 200 and reply["Content-Type"] == "image/jpeg"
    assert 'filename="IMG_1.jpg"' in reply["Content-Disposition"]
    assert b"".join(reply.streaming_content)[:2] == b"\xff\xd8"
    assert user_client.get(reverse("asset-developed", args=[jpeg.pk])).status_code == 404


def test_a_live_photo_plays_its_clip_and_a_motion_photo_its_embedded_video(stacked, library, library_root, user_client):
    still = stacked["IMG_9.jpg"]
    reply = user_client.get(reverse("asset-motion", args=[still.pk]))
    assert reply.status_code == 200 and reply["Content-Type"] == "video/mp4"
    motion_photo(library_root / "motion/PXL_1.MP.jpg")
    scan(library)
    moving = Asset.objects.get(filename="PXL_1.MP.jpg")
    assert moving.motion_photo
    reply = user_client.get(reverse("asset-motion", args=[moving.pk]))
    assert reply.status_code == 200
    assert b"ftyp" in b"".join(reply.streaming_content)[:16]
    assert user_client.get(reverse("asset-motion", args=[stacked["Alone.jpg"].pk])).status_code == 404


def test_an_album_viewer_sees_one_tile_of_the_members_the_album_holds_counted_without_the_rest(user, other_user):
    from apps.albums import services as albums
    from apps.albums.models import AlbumMember, Role
    from apps.assets.stacks import services as stacks
    from tests.factories import AssetFactory, LibraryFactory
    from tests.permission_matrix import PermissionMatrix

    library = LibraryFactory(owner=user)
    cover, *others = [AssetFactory(library=library) for _ in range(3)]
    stacks.join([cover, *others], cover=cover)
    album = albums.create_album(user, "Some of the burst")
    albums.add_items(user, album, [a.pk for a in others])
    AlbumMember.objects.create(album=album, user=other_user, role=Role.VIEWER)
    viewer = PermissionMatrix().client_for(other_user)
    rows = viewer.get(reverse("asset-list")).json()["results"]
    assert [row["stack_count"] for row in rows] == [2]
    assert rows[0]["id"] == str(min(a.pk for a in others))
    cover.refresh_from_db()
    body = viewer.get(reverse("stack-detail", args=[cover.stack_id])).json()
    assert body["count"] == 2 and body["cover"] is None
    assert str(cover.pk) not in {m["id"] for m in body["members"]}


def test_a_filter_only_a_member_matches_shows_that_member(user, user_client):
    from apps.assets.stacks import services as stacks
    from tests.factories import AssetFactory, LibraryFactory

    library = LibraryFactory(owner=user)
    jpeg = AssetFactory(library=library, camera_model="Phone")
    raw = AssetFactory(library=library, camera_model="Camera")
    stacks.join([jpeg, raw], cover=jpeg)
    assert [row["id"] for row in listed(user_client).values()] == [str(jpeg.pk)]
    rows = listed(user_client, camera_model="Camera")
    assert [(row["id"], row["stack_count"]) for row in rows.values()] == [(str(raw.pk), 2)]


@pytest.mark.parametrize("name", ["ente_motionphoto.heic", "samsung-one-ui-6.heic"])
@needs_corpus[0]
@needs_corpus[1]
def test_real_motion_photos_play_their_embedded_video(name, settings, user, user_client):
    from tests.assets.media_samples import probe

    folder = CORPUS / "live_photos" / "motion_photo"
    settings.MEDIAHUB_PIPELINE_STAGES = STAGES
    scan(library_at(folder, user))
    moving = Asset.objects.get(filename=name)
    assert moving.motion_photo and not Asset.objects.get(filename="ente_normalphoto.jpg").motion_photo
    reply = user_client.get(reverse("asset-motion", args=[moving.pk]))
    assert reply.status_code == 200, reply.content
    from apps.assets.derivatives.storage import Derivative, existing

    streams = probe(existing(moving.pk, Derivative.MOTION))["streams"]
    assert any(s["codec_type"] == "video" and s["codec_name"] in ("h264", "vp9", "av1") for s in streams)
