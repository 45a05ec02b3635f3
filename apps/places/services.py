"""Where a user's photos were taken: map markers, places and trips, over what the user can see.

Every entry point starts from apps.search's `search(user, data)`: `Asset.objects.visible_to(user)`,
not in the trash, with every asset filter (person, album, dates, camera, kind, favourites, bbox, near)
and search's own (words, place, country, year), so a map, a Places page or a trip holds nothing
the user could not open.
"""

import hashlib
import importlib.util

from django import forms
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.http import QueryDict
from django.utils.translation import gettext as _

from apps.assets.location import BBoxField
from apps.core.errors import BadInput, Unavailable
from apps.search.services import search

from . import places as place_lists
from . import points as map_points
from .trips import Photo, find_trips

TRIPS_CACHE_SECONDS = 24 * 3600


class MapParams(forms.Form):
    zoom = forms.IntegerField(required=False, min_value=0, max_value=map_points.MAX_ZOOM,
                              help_text="The map's zoom (0 = the world in one 256 px tile): sets the cluster size")
    bbox = BBoxField(required=False)


def visible(user, data=None):
    """The filtered, visible, alive assets `data` (a QueryDict) asks for; raises BadInput (400)."""
    return search(user, data if data is not None else QueryDict())


def points(user, data) -> map_points.MapPoints:
    params = MapParams(data)
    if not params.is_valid():
        raise BadInput(_("invalid map parameters"), errors={k: list(v) for k, v in params.errors.items()})
    zoom, bbox = params.cleaned_data["zoom"], params.cleaned_data["bbox"]
    if zoom is None:
        width = (bbox.east - bbox.west) % 360 or 360 if bbox else 360
        zoom = map_points.zoom_for_width(width)
    return map_points.points_of(visible(user, data), map_points.cell_for_zoom(zoom))


def places(user) -> dict:
    assets = visible(user)
    return {"countries": place_lists.countries(assets), "cities": place_lists.cities(assets)}


def trips_unavailable_reason() -> str | None:
    """Trips group places with scikit-learn's DBSCAN, part of the optional ML stack."""
    if importlib.util.find_spec("sklearn") is None or importlib.util.find_spec("scipy") is None:
        return "trips need scikit-learn (pip install -r requirements/ml.txt)"
    return None


def trips(user) -> list[dict]:
    """The user's trips, cached under a fingerprint of their visible GPS set (see trips.py).
    Raises Unavailable (503) without scikit-learn."""
    reason = trips_unavailable_reason()
    if reason:
        raise Unavailable(reason)
    located = visible(user).filter(latitude__isnull=False, longitude__isnull=False, taken_at__isnull=False)
    key = f"places:trips:{user.pk}:{_fingerprint(located)}"
    found = cache.get(key)
    if found is None:
        rows = located.order_by("taken_at", "id").values_list(
            "id", "latitude", "longitude", "taken_at", "search__city", "search__country")
        found = find_trips([Photo(str(pk), lat, lon, taken, city or "", country or "")
                            for pk, lat, lon, taken, city, country in rows])
        cache.set(key, found, TRIPS_CACHE_SECONDS)
    return found


# Order-free sums, so one aggregate pass and no sort. Integer sums: a parallel scan adds floats in
# a different order each time, and the key changed between two identical requests. Any photo
# added, trashed, shared, moved, re-dated or re-geocoded changes one of them.
FINGERPRINT_SQL = """
SELECT count(*), coalesce(sum(hashtextextended(id::text, 0)), 0), sum((latitude * 1e6)::bigint),
       sum((longitude * 1e6)::bigint), sum(extract(epoch FROM taken_at)), max(geocoded)
FROM ({inner}) AS located
"""


def _fingerprint(located) -> str:
    located = located.order_by().annotate(geocoded=F("search__updated"))
    inner, params = located.values("id", "latitude", "longitude", "taken_at", "geocoded").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(FINGERPRINT_SQL.format(inner=inner), params)
        row = cursor.fetchone()
    return hashlib.sha1(repr(row).encode()).hexdigest()[:20]
