"""The watcher's bookkeeping: which folders a scan gets, and when (settle and debounce), on a
clock the test moves, over real files."""

import os

from apps.scanning.watcher.changes import Changes

from .conftest import make_jpeg

LIB = 1


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def changes(settle=2.0, max_wait=30.0):
    clock = Clock()
    return Changes(settle, max_wait, clock=clock), clock


def test_a_new_file_is_scanned_only_after_it_and_the_library_stay_unchanged_for_the_settle_time(tmp_path):
    found, clock = changes()
    make_jpeg(tmp_path / "trip" / "a.jpg", seed=1)
    found.record(LIB, "trip/a.jpg", False, gone=False)
    assert found.due(LIB, str(tmp_path)) is None  # first look: nothing known about it yet
    clock.now += 1.9
    assert found.due(LIB, str(tmp_path)) is None
    clock.now += 0.2
    scope = found.due(LIB, str(tmp_path))
    assert scope.folders == {"trip": False} and not scope.skip


def test_a_file_still_growing_holds_the_scan_back(tmp_path):
    found, clock = changes()
    path = tmp_path / "big.mov"
    path.write_bytes(b"x" * 10)
    found.record(LIB, "big.mov", False, gone=False)
    found.due(LIB, str(tmp_path))
    for step in range(5):
        clock.now += 1.5
        with open(path, "ab") as fh:  # written to without events (a copy between two inotify reads)
            fh.write(b"y" * 10)
        os.utime(path, ns=(0, 10**9 * (step + 1)))
        assert found.due(LIB, str(tmp_path)) is None
    clock.now += 2.1
    assert found.due(LIB, str(tmp_path)).folders == {"": False}


def test_thousands_of_events_in_a_few_folders_make_one_scan_of_those_folders(tmp_path):
    found, clock = changes()
    for i in range(3000):
        relative = f"import/{i % 3}/IMG_{i}.jpg"
        found.record(LIB, relative, False, gone=False)
        if i % 100 == 0:
            clock.now += 0.1  # events keep coming: never quiet
            assert found.due(LIB, str(tmp_path)) is None
    for i in range(3):
        (tmp_path / "import" / str(i)).mkdir(parents=True)
    for i in range(3000):
        (tmp_path / f"import/{i % 3}/IMG_{i}.jpg").write_bytes(b"j")
    found.due(LIB, str(tmp_path))
    clock.now += 2.5
    scope = found.due(LIB, str(tmp_path))
    assert scope.folders == {"import/0": False, "import/1": False, "import/2": False}
    found.queued(LIB, scope)
    assert found.due(LIB, str(tmp_path)) is None and found.waiting() == 0


def test_a_library_that_never_goes_quiet_is_scanned_at_max_wait_without_the_files_still_written(tmp_path):
    found, clock = changes(settle=2.0, max_wait=10.0)
    make_jpeg(tmp_path / "done.jpg", seed=1)
    found.record(LIB, "done.jpg", False, gone=False)
    found.due(LIB, str(tmp_path))
    scope = None
    for step in range(12):
        clock.now += 1.0
        (tmp_path / "growing.jpg").write_bytes(b"z" * (step + 1))
        found.record(LIB, "growing.jpg", False, gone=False)
        scope = scope or found.due(LIB, str(tmp_path))
    assert scope.folders == {"": False} and scope.skip == {"growing.jpg"}
    found.queued(LIB, scope)
    assert found.pending[LIB].folders == {"": False} and set(found.pending[LIB].files) == {"growing.jpg"}


def test_folders_that_appear_or_vanish_are_scanned_with_everything_below_them(tmp_path):
    found, clock = changes()
    found.record(LIB, "old", True, gone=True)
    found.record(LIB, "new/sub", True, gone=False)
    found.record(LIB, "new/sub/x.jpg", False, gone=True)
    clock.now += 3
    assert found.due(LIB, str(tmp_path)).folders == {"old": True, "new/sub": True}


def test_hidden_paths_system_folders_and_other_files_are_ignored(tmp_path):
    found, clock = changes()
    assert not found.record(LIB, "trip/.a.jpg.part", False, gone=False)  # rsync's temporary file
    assert not found.record(LIB, ".thumbnails/x.jpg", False, gone=False)
    assert not found.record(LIB, "trip/@eaDir/x.jpg", False, gone=False)
    assert not found.record(LIB, "trip/notes.txt", False, gone=False)
    clock.now += 3
    assert found.due(LIB, str(tmp_path)) is None
