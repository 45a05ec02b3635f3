"""The Map, Places and Trips pages. The map's markers come from /api/map/points/ (the page hands its
URL and the filters of its own query string to static/js/map.js); places and trips render here."""

import json
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse

from apps.assets.models import Asset
from apps.assets.presentation import media_url

from . import services

SECOND = timedelta(seconds=1)
# Page state, not filters: they do not travel to the map's points or to the grid a cluster opens.
NOT_FILTERS = {"cursor", "search_type", "semantic_weight", "text_weight", "zoom", "bbox", "day"}


def map_filters(query: QueryDict) -> QueryDict:
    kept = query.copy()
    for name in NOT_FILTERS:
        kept.pop(name, None)
    return kept


@login_required
def map_page(request):
    filters = map_filters(request.GET)
    context = {"filters": filters.urlencode(), "filtered": bool(filters), "bbox": request.GET.get("bbox", "")}
    return render(request, "places/map.html", context)


def _covers(rows: list[dict]) -> None:
    """Each row's `cover` asset id -> its thumbnail URL, in one query."""
    assets = Asset.objects.in_bulk([row["cover"] for row in rows])
    for row in rows:
        asset = assets.get(row["cover"])
        row["thumbnail"] = media_url(asset, "thumbnail") if asset else ""


@login_required
def places_page(request):
    found = services.places(request.user)
    _covers(found["countries"] + found["cities"])
    return render(request, "places/places.html", found)


@login_required
def trips_page(request):
    reason = services.trips_unavailable_reason()
    if reason:
        return render(request, "places/trips.html", {"trips": [], "unavailable": reason})
    found = [dict(trip) for trip in services.trips(request.user)]
    _covers(found)
    for trip in found:
        # The grid of a trip: everything taken between its first and last photo, located or not.
        window = {"taken_after": trip["start"].isoformat(), "taken_before": (trip["end"] + SECOND).isoformat()}
        trip["grid_url"] = f"{reverse('search')}?{urlencode(window)}"
        trip["route_json"] = json.dumps(trip["route"])
    return render(request, "places/trips.html", {"trips": found})
