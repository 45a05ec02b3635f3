import logging

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.assets.models import Asset
from apps.scanning import services
from apps.scanning.models import Library
from apps.scanning.pipeline import registered_stages


class Command(BaseCommand):
    help = (
        "Run pipeline stages again: for every asset (stages already done are skipped, so this "
        "completes whatever is missing), for a library, or for some assets; --force re-runs done stages."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--library", action="append", default=[], help="name, id or root path (repeatable)"
        )
        parser.add_argument("--asset", action="append", default=[], help="asset id (repeatable)")
        parser.add_argument(
            "--stage", action="append", default=[], help="stage name (repeatable); default: all"
        )
        parser.add_argument("--force", action="store_true", help="run stages even where they are done")
        parser.add_argument(
            "--inline", action="store_true", help="run here instead of queueing for the workers"
        )

    def handle(self, *args, library, asset, stage, force, inline, **options):
        logging.getLogger("django-q").setLevel(logging.WARNING)
        known = [s.name for s in registered_stages()]
        unknown = set(stage) - set(known)
        if unknown:
            raise CommandError(f"unknown stage(s) {', '.join(sorted(unknown))}; known: {', '.join(known)}")
        assets = Asset.objects.all()
        try:
            if library:
                assets = assets.filter(library__in=[services.library_for(ref) for ref in library])
        except Library.DoesNotExist as exc:
            raise CommandError(str(exc)) from None
        if asset:
            assets = assets.filter(pk__in=asset)
        with tqdm(total=assets.count(), unit=" assets", disable=None, dynamic_ncols=True) as bar:
            sent = services.rerun_stages(assets, stage or None, force, inline, on_progress=bar.update)
        where = "ran here" if inline else "queued for the workers"
        self.stdout.write(f"{sent} assets {where}; stages: {', '.join(stage or known) or 'none registered'}")
