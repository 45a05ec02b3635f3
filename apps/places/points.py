"""The map's markers: the GPS positions of a set of assets, as points, or grouped into grid cells in SQL.

Zoomed out over a large library the browser cannot take every point (400,000 rows are ~30 MB of JSON
and seconds of marker layout), so above POINT_LIMIT the database groups the positions into square cells
of `cell` degrees and returns one row per cell: count, centroid, the box of its photos (what a click on
the cluster opens in the grid) and a representative asset for a thumbnail. Below the limit the points
themselves go out and Leaflet.markercluster groups them on the screen.
"""

import math
from dataclasses import dataclass

from django.db import connection

POINT_LIMIT = 2000
# A cluster covers about this many screen pixels of a 256 px Web Mercator tile: at zoom z the world is
# 256 * 2**z px wide, so a cell is 360 / 2**z * CLUSTER_PX / 256 degrees.
CLUSTER_PX = 64
MAX_ZOOM = 22


def cell_for_zoom(zoom: int) -> float:
    return 360 / 2**zoom * CLUSTER_PX / 256


def zoom_for_width(degrees: float) -> int:
    """The zoom at which `degrees` of longitude fill about 1,000 px (a desktop map)."""
    if degrees <= 0:
        return MAX_ZOOM
    return max(0, min(MAX_ZOOM, int(math.log2(360 * 1000 / 256 / degrees))))


@dataclass
class MapPoints:
    clustered: bool
    cell: float | None
    total: int
    points: list[dict]
    clusters: list[dict]


def _iso(value):
    return value.isoformat() if value is not None else None


def points_of(assets, cell: float, limit: int | None = None) -> MapPoints:
    """`assets` (any filtered queryset) with GPS, as points when at most `limit`, else as cells."""
    limit = POINT_LIMIT if limit is None else limit
    located = assets.filter(latitude__isnull=False, longitude__isnull=False).order_by()
    rows = list(located.values_list("id", "latitude", "longitude", "taken_at")[: limit + 1])
    if len(rows) <= limit:
        points = [{"id": str(pk), "lat": round(lat, 6), "lon": round(lon, 6), "taken_at": _iso(taken)}
                  for pk, lat, lon, taken in rows]
        return MapPoints(False, None, len(points), points, [])
    clusters = _clusters(located, cell)
    return MapPoints(True, cell, sum(c["count"] for c in clusters), [], clusters)


# One pass over the filtered rows: GROUP BY the cell indices. any_value (PostgreSQL 16+) picks a
# representative without sorting; there is no min(uuid) to use instead. The box a click opens is
# the cell's own (it holds exactly the cluster's photos), not min/max per cell: four aggregates
# fewer per row.
CLUSTER_SQL = """
SELECT floor(latitude / %s)::int AS y, floor(longitude / %s)::int AS x, count(*), avg(latitude),
       avg(longitude), any_value(id)
FROM ({inner}) AS located
GROUP BY y, x
ORDER BY count(*) DESC
"""


def _clusters(located, cell: float) -> list[dict]:
    inner, params = located.values("id", "latitude", "longitude").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(CLUSTER_SQL.format(inner=inner), [cell, cell, *params])
        rows = cursor.fetchall()
    return [
        {"count": count, "lat": round(lat, 6), "lon": round(lon, 6), "id": str(pk), "bbox": _cell_box(x, y, cell)}
        for y, x, count, lat, lon, pk in rows
    ]


def _cell_box(x: int, y: int, cell: float) -> list[float]:
    """west, south, east, north of cell (x, y), rounded outwards and kept on the globe."""
    return [max(-180.0, _down(x * cell)), max(-90.0, _down(y * cell)),
            min(180.0, _up((x + 1) * cell)), min(90.0, _up((y + 1) * cell))]


# The box a click opens must hold every photo of the cluster: round outwards, never in.
def _down(value: float) -> float:
    return math.floor(value * 1e6) / 1e6


def _up(value: float) -> float:
    return math.ceil(value * 1e6) / 1e6
