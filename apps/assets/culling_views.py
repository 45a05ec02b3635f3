"""The Culling page: series of shots side by side, pick / reject / next. The page is a frame: its
script reads the series from the culling API and writes decisions through it (apps/assets/api/culling.py),
with the page's asset filters (`?library=3`, `?taken_after=...`) passed on to the series."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .filters import AssetFilter


@login_required
def culling_page(request):
    # Only the asset filters travel to the API: anything else in the address is not a criterion.
    filters = request.GET.copy()
    for key in list(filters):
        if key not in AssetFilter.base_filters:
            filters.pop(key)
    return render(request, "assets/culling.html", {"filters": filters.urlencode()})
