import logging

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.core.errors import ServiceError
from apps.people.services import face_jobs, faces_status


class Command(BaseCommand):
    help = (
        "Detect faces: in assets not done yet (--missing, default), in every asset (--all) or some "
        "(--asset); recorded as a face job like the API's, so the two never run at once."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--missing", action="store_true", help="assets whose faces stage is not done (default)"
        )
        which.add_argument("--all", action="store_true", help="every asset again, keeping user assignments")
        which.add_argument("--asset", action="append", default=[], help="asset id (repeatable)")
        parser.add_argument(
            "--inline", action="store_true", help="run here instead of queueing for the workers"
        )

    def handle(self, *args, missing, all, asset, inline, **options):
        logging.getLogger("django-q").setLevel(logging.WARNING)
        mode = "asset" if asset else "all" if all else "missing"
        with tqdm(unit=" assets", disable=None, dynamic_ncols=True) as bar:

            def on_progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            try:
                job = face_jobs.start_detection(mode, asset_ids=asset, inline=inline, on_progress=on_progress)
            except ServiceError as exc:
                raise CommandError(str(exc)) from None
        status = faces_status()
        where = "ran here" if inline else "queued for the workers"
        self.stdout.write(
            f"{job.assets_total} assets {where} ({mode}, face job {job.pk}: {job.state}); "
            f"backend {status['backend']}; "
            f"{status['faces']} faces in {status['assets_done']} assets, {status['assets_failed']} failed"
        )
