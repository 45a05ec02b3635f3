"""Scans of some folders only (what the watcher asks for): the rest of the library is not walked."""

import os
import shutil

import pytest
from django.test import override_settings

from apps.assets.models import Asset
from apps.scanning import services
from apps.scanning.scope import Scope

from .conftest import STAGES, make_jpeg, make_tree

pytestmark = pytest.mark.django_db

ONE_STAGE = override_settings(MEDIAHUB_PIPELINE_STAGES=[f"{STAGES}.SizeStage"])


def scan(library, folders=None, skip=()):
    scope = Scope.of(folders, skip) if folders is not None else None
    return services.scan_library(library, inline=True, scope=scope)


def paths(library, **filters):
    return set(Asset.objects.filter(library=library, **filters).values_list("path", flat=True))


@ONE_STAGE
def test_a_folder_scan_indexes_that_folders_files_and_walks_nothing_else(library, library_root, stage_log):
    make_tree(library_root, 20, per_dir=10)
    scan(library)
    make_jpeg(library_root / "d000" / "new.jpg", seed=100)
    make_jpeg(library_root / "d001" / "elsewhere.jpg", seed=101)
    make_jpeg(library_root / "d000" / "deeper" / "below.jpg", seed=102)
    run = scan(library, {"d000": False})
    assert (run.state, run.files_seen, run.new, run.missing) == ("done", 11, 1, 0)
    assert "d000/new.jpg" in paths(library)
    assert not paths(library) & {"d001/elsewhere.jpg", "d000/deeper/below.jpg"}
    assert run.scope == {"folders": [{"path": "d000", "recursive": False}], "skip": []}


@ONE_STAGE
def test_a_recursive_folder_scan_takes_the_folders_below_it(library, library_root, stage_log):
    make_jpeg(library_root / "top.jpg", seed=1)
    make_jpeg(library_root / "trip" / "a.jpg", seed=2)
    make_jpeg(library_root / "trip" / "day2" / "b.jpg", seed=3)
    run = scan(library, {"trip": True, "trip/day2": False})
    assert (run.files_seen, run.new) == (2, 2)
    assert paths(library) == {"trip/a.jpg", "trip/day2/b.jpg"}


@ONE_STAGE
def test_files_removed_from_a_scanned_folder_or_with_their_folder_are_marked_missing_and_no_others(
    library, library_root, stage_log
):
    make_tree(library_root, 30, per_dir=10)
    scan(library)
    os.remove(library_root / "d000" / "IMG_00000.jpg")
    shutil.rmtree(library_root / "d001")
    os.remove(library_root / "d002" / "IMG_00020.jpg")  # outside the scope: not looked at
    run = scan(library, {"d000": False, "d001": True})
    assert run.missing == 11
    assert paths(library, status="missing") == {"d000/IMG_00000.jpg"} | {f"d001/IMG_{i:05d}.jpg" for i in range(10, 20)}


@ONE_STAGE
def test_a_file_moved_between_scanned_folders_keeps_its_asset(library, library_root, stage_log):
    make_tree(library_root, 20, per_dir=10)
    scan(library)
    before = Asset.objects.get(library=library, path="d000/IMG_00003.jpg").pk
    os.rename(library_root / "d000" / "IMG_00003.jpg", library_root / "d001" / "moved.jpg")
    run = scan(library, {"d001": False})  # only the destination: the source is outside the walk and gone
    assert (run.moved, run.new, run.missing) == (1, 0, 0)
    assert Asset.objects.get(pk=before).path == "d001/moved.jpg"
    assert Asset.objects.filter(library=library).count() == 20


@ONE_STAGE
def test_a_folder_scan_leaves_files_still_being_written_for_later(library, library_root, stage_log):
    make_jpeg(library_root / "in" / "done.jpg", seed=1)
    make_jpeg(library_root / "in" / "copying.jpg", seed=2)
    run = scan(library, {"in": False}, skip={"in/copying.jpg"})
    assert (run.new, run.missing) == (1, 0)
    assert paths(library) == {"in/done.jpg"}


@ONE_STAGE
def test_a_root_scan_without_recursion_takes_only_the_files_at_the_top(library, library_root, stage_log):
    make_jpeg(library_root / "top.jpg", seed=1)
    make_jpeg(library_root / "sub" / "below.jpg", seed=2)
    run = scan(library, {"": False})
    assert paths(library) == {"top.jpg"} and run.files_seen == 1


@ONE_STAGE
def test_folder_names_with_like_wildcards_match_only_themselves(library, library_root, stage_log):
    make_jpeg(library_root / "a_b" / "one.jpg", seed=1)
    make_jpeg(library_root / "axb" / "two.jpg", seed=2)
    scan(library)
    os.remove(library_root / "axb" / "two.jpg")
    run = scan(library, {"a_b": False})
    assert run.missing == 0 and not paths(library, status="missing")


def test_an_empty_root_with_indexed_files_fails_the_folder_scan_instead_of_marking_them_missing(
    library, library_root
):
    make_tree(library_root, 5)
    scan(library)
    shutil.rmtree(library_root)
    library_root.mkdir()  # an unmounted share: the mount point is left, empty
    run = scan(library, {"d000": True})
    assert run.state == "failed" and not paths(library, status="missing")
