"""Asset.derivatives_size for assets whose derivatives were made before the stages recorded it
(they do since that column exists): a stat of each asset's few derivative paths, in batches."""

from collections.abc import Callable

from django.db import connection

from ..models import Asset
from .storage import total_size

BATCH = 2000


def measure_all(progress: Callable[[int], None] = lambda done: None) -> dict:
    """Store the measured size wherever it differs; {"assets": seen, "changed": rows updated}."""
    seen = changed = 0
    last = None
    while True:
        batch = Asset.objects.order_by("pk")
        if last is not None:
            batch = batch.filter(pk__gt=last)
        rows = list(batch.values_list("pk", "derivatives_size")[:BATCH])
        if not rows:
            break
        updates = [(pk, size) for pk, old in rows for size in [total_size(pk)] if size != old]
        if updates:
            # One statement per batch: the stats triggers then append one set of deltas, not one per row.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Asset._meta.db_table} a SET derivatives_size = v.size "
                    "FROM unnest(%s::uuid[], %s::bigint[]) AS v(id, size) WHERE a.id = v.id",
                    [[pk for pk, _ in updates], [size for _, size in updates]],
                )
        seen, changed, last = seen + len(rows), changed + len(updates), rows[-1][0]
        progress(len(rows))
    return {"assets": seen, "changed": changed}
