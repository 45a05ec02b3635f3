"""Camera settings: ISO, aperture, shutter speed and focal length distributions in the buckets of
apps/stats/buckets.py, each with the grid's range filters (iso_min/iso_max, aperture_min/max,
shutter_min/max, focal_length_min/max)."""

from ..buckets import LABELS
from . import counts

DIMS = list(LABELS)


def exposure(user, kind: str | None = None) -> dict:
    kind = counts.clean_kind(kind)
    found = counts.rows(user, DIMS, kind=kind)
    result = {}
    for dim, describe in LABELS.items():
        buckets = counts.summed([row for row in found if row.dim == dim])
        result[dim] = [{"bucket": int(key), **describe(int(key)), "count": n}
                       for key, n in sorted(buckets.items(), key=lambda item: int(item[0]))]
    return result
