"""What scanning tells other apps without importing them."""

from django.dispatch import Signal

from apps.assets.models import Asset
from apps.core import events

# A scan finished having added (or changed) files: the duplicate search listens
# (apps/assets/apps.py), so the Duplicates page fills itself. Sent with `run` (the ScanRun).
scan_added_files = Signal()


def tell_added(library, asset_ids: list, inserted: int | None = None, **context) -> None:
    """The assets.added event (webhooks, apps.core.events) for new assets of `library`, once their
    rows commit: their ids and count, and `context` (the scan, the upload). `inserted` below the ids'
    count means some rows were not written (another process indexed those paths first)."""
    if inserted is not None and inserted < len(asset_ids):
        asset_ids = list(Asset.objects.filter(pk__in=asset_ids).values_list("pk", flat=True))
    if asset_ids:
        ids = [str(pk) for pk in asset_ids]
        data = {"library": library.pk, "count": len(ids), "assets": ids, **context}
        events.emit(events.ASSETS_ADDED, library, data)
