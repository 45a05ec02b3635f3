from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render

from apps.core.keyset import timeline_page

from .filters import AssetFilter
from .models import Asset

PAGE_SIZE = 120


@login_required
def photos(request):
    assets = AssetFilter(request.GET, queryset=Asset.objects.visible_to(request.user).alive()).qs
    try:
        page = timeline_page(assets.select_related("library"), request.GET.get("cursor"), PAGE_SIZE)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    template = "assets/photos.html#grid-page" if request.htmx else "assets/photos.html"
    return render(request, template, {"page": page})
