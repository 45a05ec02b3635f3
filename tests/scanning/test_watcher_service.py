"""The watcher's loop in this process (no workers: the scans it queues are only looked at): polling
for NFS/SMB, libraries paused and added while it runs, and events the kernel dropped."""

import logging
import threading
import time

import pytest
from django.db import connection

from apps.scanning import services
from apps.scanning.models import Library, ScanRun
from apps.scanning.watcher.service import OVERFLOW_LOGGER, OVERFLOW_MESSAGE, Watcher
from tests.factories import LibraryFactory

from .conftest import make_jpeg

pytestmark = pytest.mark.django_db(transaction=True)


def poll(condition, what, timeout=30):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return found


class Running:
    def __init__(self, **options):
        self.lines = []
        self.watcher = Watcher(out=self.lines.append, **{"settle": 0.3, "max_wait": 30, "refresh": 0.2, **options})
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run)

    def _run(self):
        try:
            self.watcher.run(self.stop)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        poll(lambda: any(line.startswith("ready") for line in self.lines), "the watcher")
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=30)


def folder_scans(library):
    return ScanRun.objects.filter(library=library).exclude(scope={})


def finish_scans(library):
    """Stand-in for the worker: the watcher waits for a library's active scan to end."""
    ScanRun.objects.filter(library=library, state__in=["queued", "running"]).update(state="done")


def test_polling_finds_new_files_where_inotify_sees_nothing(library, library_root):
    with Running(poll=0.2) as running:
        assert "polling every 0.2 s" in running.lines[0]
        finish_scans(library)  # the catch-up scan
        make_jpeg(library_root / "nas" / "a.jpg", seed=1)
        run = poll(lambda: folder_scans(library).first(), "a folder scan")
    assert run.scope["folders"] == [{"path": "nas", "recursive": True}]


def test_paused_libraries_are_not_watched_and_libraries_added_or_resumed_are(library, library_root, user, tmp_path):
    services.set_paused(library, True)
    with Running() as running:
        assert running.lines == ["ready: watching 0 libraries"]
        make_jpeg(library_root / "ignored.jpg", seed=1)
        other_root = tmp_path / "second"
        other_root.mkdir()
        other = LibraryFactory(owner=user, root_path=str(other_root))
        poll(lambda: ScanRun.objects.filter(library=other).exists(), "the new library's catch-up scan")
        finish_scans(other)
        make_jpeg(other_root / "new.jpg", seed=2)
        poll(lambda: folder_scans(other).exists(), "a scan of the new library")
        assert not ScanRun.objects.filter(library=library).exists()  # paused: neither catch-up nor events
        services.set_paused(library, False)
        poll(lambda: ScanRun.objects.filter(library=library, scope={}).exists(), "the catch-up of the resumed one")
        Library.objects.filter(pk=other.pk).delete()
        poll(lambda: any("stopped watching" in line for line in running.lines), "the removed library to be dropped")


def test_events_the_kernel_dropped_make_the_whole_library_scanned(library, library_root):
    with Running():
        finish_scans(library)
        logging.getLogger(OVERFLOW_LOGGER).warning(OVERFLOW_MESSAGE + " %r", str(library_root))
        run = poll(lambda: folder_scans(library).first(), "the scan after the overflow")
    assert run.scope["folders"] == [{"path": "", "recursive": True}]


def test_a_root_folder_replaced_under_the_watcher_is_watched_again(library, library_root, tmp_path):
    with Running() as running:
        finish_scans(library)
        library_root.rename(tmp_path / "old-mount")
        library_root.mkdir()  # a share mounted over the folder is another folder to inotify
        poll(lambda: sum(line.startswith("watching ") for line in running.lines) == 2, "the folder watched again")
        poll(lambda: ScanRun.objects.filter(library=library, scope={}, state="queued").exists(), "its catch-up")
        finish_scans(library)
        make_jpeg(library_root / "after" / "a.jpg", seed=3)
        run = poll(lambda: folder_scans(library).first(), "a scan of the new folder's files")
    assert run.scope["folders"] == [{"path": "after", "recursive": True}]
    assert any("its folder replaced" in line for line in running.lines)
