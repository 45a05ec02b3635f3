from datetime import datetime, timedelta, timezone

from apps.search import services
from tests.factories import AssetFactory

ROME = (41.9028, 12.4964)
FLORENCE = (43.7696, 11.2558)
PARIS = (48.8566, 2.3522)
LYON = (45.7640, 4.8357)
NEW_YORK = (40.7128, -74.0060)


def located(library, where, when=None, **fields):
    """An asset at `where` (lat, lon), geocoded as the pipeline's search stage leaves it."""
    asset = AssetFactory(library=library, latitude=where[0], longitude=where[1],
                         taken_at=when or datetime(2024, 1, 1, 12, tzinfo=timezone.utc), **fields)
    services.index_assets([asset])
    return asset


def day(n: int, hour: int = 12) -> datetime:
    return datetime(2019, 4, 1, hour, tzinfo=timezone.utc) + timedelta(days=n)
