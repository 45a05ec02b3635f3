"""Duplicate groups over real photos: exact and near grouping, the job's idempotence, the review actions."""

import shutil
from pathlib import Path

import pytest
from PIL import Image

from apps.assets.duplicates import services
from apps.assets.models import Asset, AssetUserState, DuplicateGroup, Stack
from apps.core.errors import Conflict, Refused
from tests.assets.duplicates_samples import indexed, save, scene
from tests.assets.media_samples import library_at


def member_sets(owner=None):
    groups = DuplicateGroup.objects.open()
    if owner is not None:
        groups = groups.filter(owner=owner)
    return {(g.kind, frozenset(m.asset.filename for m in g.members.all())) for g in groups}


@pytest.fixture
def photos(library):
    """One original, an exact copy, a half-size re-encode, a low-quality re-encode, and two distinct photos."""
    root = Path(library.root_path)
    original = save(scene(1), root / "original.jpg")
    shutil.copy(original, root / "copy of original.jpg")
    save(scene(1).resize((400, 300)), root / "small.jpg", quality=75)
    save(scene(1), root / "low quality.jpg", quality=40)
    save(scene(2), root / "other.jpg")
    save(scene(3), root / "third.jpg")
    names = ["original.jpg", "copy of original.jpg", "small.jpg", "low quality.jpg", "other.jpg", "third.jpg"]
    return {name: indexed(library, name) for name in names}


COPIES = frozenset({"original.jpg", "copy of original.jpg", "small.jpg", "low quality.jpg"})


@pytest.mark.django_db
def test_exact_and_near_copies_are_grouped_and_distinct_photos_are_not(photos, user):
    report = services.find_duplicates()

    assert member_sets(user) == {
        ("exact", frozenset({"original.jpg", "copy of original.jpg"})),
        ("near", COPIES),
    }
    assert (report.exact, report.near, report.created) == (1, 1, 2)
    near = DuplicateGroup.objects.get(kind="near")
    evidence = {m.asset.filename: m for m in near.members.all()}
    assert evidence["copy of original.jpg"].hash_match or evidence["original.jpg"].hash_match
    assert all(m.distance is not None and m.distance <= 6 for m in evidence.values())
    assert sum(m.is_reference for m in evidence.values()) == 1
    assert not evidence["small.jpg"].is_reference  # fewer pixels than the full-size copies


@pytest.mark.django_db
def test_the_job_is_idempotent(photos, user):
    services.find_duplicates()
    first = {(g.pk, g.kind, g.signature) for g in DuplicateGroup.objects.all()}

    again = services.find_duplicates()

    assert {(g.pk, g.kind, g.signature) for g in DuplicateGroup.objects.all()} == first
    assert (again.created, again.unchanged, again.removed) == (0, 2, 0)


@pytest.mark.django_db
def test_keep_one_trashes_the_others_and_unions_favourite_rating_and_location(photos, user, other_user):
    services.find_duplicates()
    group = DuplicateGroup.objects.get(kind="near")
    kept, small, low = photos["original.jpg"], photos["small.jpg"], photos["low quality.jpg"]
    AssetUserState.objects.create(user=user, asset=small, favorite=True, rating=2)
    AssetUserState.objects.create(user=user, asset=low, rating=4)
    AssetUserState.objects.create(user=other_user, asset=low, rating=5)
    Asset.objects.filter(pk=small.pk).update(latitude=48.85, longitude=2.35)

    services.keep_one(user, group, kept.pk)

    trashed = set(Asset.objects.filter(deleted_at__isnull=False).values_list("filename", flat=True))
    assert trashed == COPIES - {"original.jpg"}
    mine = AssetUserState.objects.get(user=user, asset=kept)
    assert (mine.favorite, mine.rating) == (True, 4)
    assert AssetUserState.objects.get(user=other_user, asset=kept).rating == 5
    kept.refresh_from_db()
    assert (kept.latitude, kept.longitude) == (48.85, 2.35)
    group.refresh_from_db()
    assert group.resolution == "kept_one" and group.kept_id == kept.pk
    # The exact group held a trashed copy: it is gone and not proposed again.
    services.find_duplicates()
    assert member_sets(user) == set()


@pytest.mark.django_db
def test_keep_all_is_not_proposed_again(photos, user):
    services.find_duplicates()
    near = DuplicateGroup.objects.get(kind="near")

    services.keep_all(user, near)
    report = services.find_duplicates()

    assert member_sets(user) == {("exact", frozenset({"original.jpg", "copy of original.jpg"}))}
    assert report.dismissed_before == 1 and report.created == 0
    assert not Asset.objects.filter(deleted_at__isnull=False).exists()


@pytest.mark.django_db
def test_stack_keeps_everything_under_one_primary(photos, user):
    services.find_duplicates()
    near = DuplicateGroup.objects.get(kind="near")

    stack = services.stack(user, near, photos["small.jpg"].pk)

    assert stack.primary_id == photos["small.jpg"].pk
    assert set(Stack.objects.get().assets.values_list("filename", flat=True)) == COPIES
    assert not Asset.objects.filter(deleted_at__isnull=False).exists()


@pytest.mark.django_db
def test_groups_never_show_another_users_assets(photos, user, other_user, tmp_path):
    bobs = library_at(tmp_path / "bob", other_user)
    save(scene(1), tmp_path / "bob" / "bobs copy.jpg")
    indexed(bobs, "bobs copy.jpg")

    services.find_duplicates()

    assert member_sets(other_user) == set()  # one photo of Bob's alone is no group, Alice's are not his
    assert all("bobs copy.jpg" not in names for _, names in member_sets(user))
    assert services.summary(other_user)["groups"] == 0
    assert services.summary(user)["groups"] == 2


@pytest.mark.django_db
def test_acting_needs_the_right_to_change_every_member(photos, user, other_user):
    services.find_duplicates()
    group = DuplicateGroup.objects.get(kind="exact")

    with pytest.raises(Refused) as refused:
        services.keep_all(other_user, group)

    assert refused.value.status == 403
    services.keep_all(user, group)
    with pytest.raises(Conflict) as again:
        services.keep_all(user, group)
    assert again.value.status == 409


@pytest.mark.django_db
def test_summary_counts_recoverable_bytes(photos, user):
    services.find_duplicates()

    summary = services.summary(user)

    sizes = {name: photos[name].size for name in COPIES}
    exact_recoverable = photos["original.jpg"].size  # two identical files: one of them
    near_recoverable = sum(sizes.values()) - max(sizes.values())
    assert summary == {"groups": 2, "exact_groups": 1, "near_groups": 1, "assets": 4,
                       "recoverable_bytes": exact_recoverable + near_recoverable}


@pytest.mark.django_db
def test_blank_frames_are_not_near_duplicates_of_each_other(library, user):
    root = Path(library.root_path)
    for name, colour in (("white.jpg", (255, 255, 255)), ("black.jpg", (0, 0, 0)), ("grey.jpg", (128, 128, 128))):
        save(Image.new("RGB", (640, 480), colour), root / name)
        indexed(library, name)

    services.find_duplicates()

    assert member_sets(user) == set()
