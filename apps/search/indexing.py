"""Writing search documents: one asset from the pipeline stage, or all of them in batches."""

from collections.abc import Callable

from django.db import connection

from apps.assets.models import Asset

from .document import WEIGHTS, documents
from .models import AssetSearch

REBUILD_BATCH = 2000

# One INSERT ... ON CONFLICT for the whole batch: the weighted tsvector is built by the database
# from the folded words (to_tsvector 'simple': no stemming or stop words, the words are already folded).
_UPSERT = f"""
INSERT INTO {AssetSearch._meta.db_table} (asset_id, document, city, region, country, country_code, updated)
SELECT t.id,
       {" || ".join(f"setweight(to_tsvector('simple', t.{w.lower()}), '{w}')" for w in WEIGHTS)},
       t.city, t.region, t.country, t.cc, now()
FROM unnest(%s::uuid[], %s::text[], %s::text[], %s::text[], %s::text[],
            %s::text[], %s::text[], %s::text[], %s::text[]) AS t(id, a, b, c, d, city, region, country, cc)
ON CONFLICT (asset_id) DO UPDATE SET document = EXCLUDED.document, city = EXCLUDED.city,
    region = EXCLUDED.region, country = EXCLUDED.country, country_code = EXCLUDED.country_code,
    updated = EXCLUDED.updated
"""


def index_assets(assets) -> int:
    """(Re)write the search rows of these assets (a list or a queryset, e.g. every asset of a renamed
    person), one statement per batch so a person on 50,000 photos does not build one giant upsert."""
    assets = list(assets)
    for first in range(0, len(assets), REBUILD_BATCH):
        _index_batch(assets[first:first + REBUILD_BATCH])
    return len(assets)


def _index_batch(assets: list[Asset]) -> int:
    rows = documents(assets)
    if not rows:
        return 0
    columns = [[row["asset_id"] for row in rows]]
    columns += [[row[w] for row in rows] for w in WEIGHTS]
    columns += [[getattr(row["place"], name)[:limit] for row in rows]
                for name, limit in (("city", 200), ("region", 200), ("country", 100), ("country_code", 2))]
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, columns)
    return len(rows)


def rebuild(missing_only: bool = True, batch_size: int = REBUILD_BATCH, progress: Callable | None = None) -> int:
    """Index every asset (or those without a document), walking ids in order so memory stays flat."""
    assets = Asset.objects.order_by("pk")
    if missing_only:
        assets = assets.filter(search__isnull=True)
    done, last = 0, None
    while True:
        batch = assets.filter(pk__gt=last) if last is not None else assets
        batch = list(batch[:batch_size])
        if not batch:
            return done
        done += index_assets(batch)
        last = batch[-1].pk
        if progress:
            progress(len(batch))


def remaining(missing_only: bool = True) -> int:
    assets = Asset.objects.all()
    return assets.filter(search__isnull=True).count() if missing_only else assets.count()
