import logging

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.scanning import services
from apps.scanning.models import Library


class Command(BaseCommand):
    help = (
        "Scan libraries (all active ones when none is named) and index new, changed, moved and missing files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "libraries", nargs="*", metavar="LIBRARY", help="name, id or root path of a library"
        )
        parser.add_argument(
            "--full", action="store_true", help="re-hash every file, not only new and changed ones"
        )
        parser.add_argument(
            "--inline",
            action="store_true",
            help="run the pipeline stages in this process instead of queueing them",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="hand the whole scan to a worker (manage.py qcluster) and return at once",
        )

    def handle(self, *args, libraries, full, inline, queue, **options):
        # django-q logs every enqueued task at INFO: thousands of lines that would bury the progress bar.
        logging.getLogger("django-q").setLevel(logging.WARNING)
        if libraries:
            try:
                targets = [services.library_for(reference) for reference in libraries]
            except Library.DoesNotExist as exc:
                raise CommandError(str(exc)) from None
        else:
            targets = list(Library.objects.filter(paused=False))
            if not targets:
                self.stdout.write("No active libraries to scan (add one with manage.py add_library PATH).")
                return
        failures = []
        for library in targets:
            if queue:
                try:
                    run = services.start_scan(library, full=full)
                    self.stdout.write(f"Queued scan {run.pk} of '{library.name}' for the worker.")
                except services.ScanConflict as exc:
                    failures.append(str(exc))
                continue
            with tqdm(desc=library.name, unit=" files", disable=None, dynamic_ncols=True) as bar:
                try:
                    run = services.scan_library(library, full=full, inline=inline, on_progress=bar.update)
                except services.ScanConflict as exc:
                    failures.append(str(exc))
                    continue
            self.stdout.write(services.summary(run))
            if run.state == "failed":
                failures.append(
                    f"{library.name}: {run.error_log[-1]['error'] if run.error_log else 'failed'}"
                )
        if failures:
            raise CommandError("; ".join(failures))
