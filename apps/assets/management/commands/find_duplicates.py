import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from apps.assets.duplicates import services
from apps.scanning.models import Library


class Command(BaseCommand):
    help = (
        "Group exact duplicates (same content hash) and near duplicates (pHash within --threshold bits) "
        "of each library owner into groups to review. Safe to re-run: the same sets stay the same groups, "
        "and sets a user dismissed are not proposed again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--threshold", type=int, default=None,
                            help="near-duplicate pHash distance in bits (default MEDIAHUB_DUPLICATE_PHASH_THRESHOLD)")
        parser.add_argument("--queue", action="store_true", help="hand the job to a worker instead of running it here")

    def handle(self, *args, threshold, queue, **options):
        if queue:
            self.stdout.write(f"queued as task {services.queue_find_duplicates(threshold)}")
            return
        started = time.monotonic()
        owners = Library.objects.values("owner_id").distinct().count()
        with tqdm(total=owners, unit=" owners", disable=None, dynamic_ncols=True) as bar:
            report = services.find_duplicates(threshold=threshold, progress=lambda _owner: bar.update())
        self.stdout.write(f"{report.summary()} in {time.monotonic() - started:.1f} s")
