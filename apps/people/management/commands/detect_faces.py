import logging

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.assets.models import Asset
from apps.people import backends, services


class Command(BaseCommand):
    help = "Detect faces: in assets not done yet (--missing, default), in every asset (--all) or some (--asset)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--missing", action="store_true", help="assets whose faces stage is not done (default)")
        which.add_argument("--all", action="store_true", help="every asset again, keeping user assignments")
        which.add_argument("--asset", action="append", default=[], help="asset id (repeatable)")
        parser.add_argument("--inline", action="store_true", help="run here instead of queueing for the workers")

    def handle(self, *args, missing, all, asset, inline, **options):
        logging.getLogger("django-q").setLevel(logging.WARNING)
        reason = backends.unavailable_reason()
        if reason:
            raise CommandError(f"faces unavailable: {reason}")
        mode = "asset" if asset else "all" if all else "missing"
        total = Asset.objects.filter(pk__in=asset).count() if asset else Asset.objects.count()
        with tqdm(total=total, unit=" assets", disable=None, dynamic_ncols=True) as bar:
            sent = services.queue_face_detection(mode, asset, inline=inline, on_progress=bar.update)
        status = services.faces_status()
        where = "ran here" if inline else "queued for the workers"
        self.stdout.write(
            f"{sent} assets {where} ({mode}); backend {status['backend']}; "
            f"{status['faces']} faces in {status['assets_done']} assets, {status['assets_failed']} failed"
        )
