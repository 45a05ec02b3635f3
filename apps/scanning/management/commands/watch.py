import logging
import signal
import threading

from django.core.management.base import BaseCommand

from apps.scanning.watcher.service import Watcher


class Command(BaseCommand):
    help = (
        "Watch every library that is not paused and scan the folders where files appear, change, move "
        "or vanish, once they are stable (MEDIAHUB_WATCH_SETTLE). MEDIAHUB_WATCH_POLL=N polls every N "
        "seconds instead of inotify (NFS/SMB)."
    )

    def handle(self, *args, **options):
        logging.getLogger("django-q").setLevel(logging.WARNING)  # one INFO line per enqueued task
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        watcher = Watcher.from_settings(out=self._say)
        watcher.run(stop)
        self._say(f"watcher stopped: {watcher.scans_queued} scan(s) queued")

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
