import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from apps.assets.derivatives import sizes
from apps.assets.models import Asset


class Command(BaseCommand):
    help = (
        "Record the bytes of every asset's thumbnail, preview and transcode (Asset.derivatives_size, "
        "the Stats page's derivatives storage) for derivatives made before the stages recorded it. "
        "Safe to re-run."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        with tqdm(total=Asset.objects.count(), unit=" assets", disable=None, dynamic_ncols=True) as bar:
            report = sizes.measure_all(progress=bar.update)
        elapsed = time.monotonic() - started
        self.stdout.write(f"{report['assets']} assets measured, {report['changed']} updated in {elapsed:.1f} s "
                          f"({report['assets'] / max(elapsed, 1e-9):.0f}/s)")
