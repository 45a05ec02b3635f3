import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from apps.search import services


class Command(BaseCommand):
    help = "Build the search documents (places from GPS, words) of assets that lack one, or of all."

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--missing", action="store_true", help="Only assets without a document (the default)")
        scope.add_argument("--all", action="store_true", help="Rebuild every document")
        parser.add_argument("--batch-size", type=int, default=services.indexing.REBUILD_BATCH)

    def handle(self, *args, **options):
        missing_only = not options["all"]
        total = services.remaining(missing_only)
        start = time.monotonic()
        with tqdm(total=total, unit=" assets", disable=None, dynamic_ncols=True) as bar:
            done = services.rebuild(missing_only, options["batch_size"], progress=bar.update)
        elapsed = max(time.monotonic() - start, 1e-6)
        self.stdout.write(f"indexed {done} assets in {elapsed:.1f} s ({done / elapsed:.0f}/s)")
