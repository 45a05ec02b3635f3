from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from .models import Library


@login_required
def libraries(request):
    rows = (
        Library.objects.visible_to(request.user)
        .select_related("owner")
        .annotate(asset_count=Count("assets", filter=Q(assets__deleted_at__isnull=True)))
    )
    return render(request, "scanning/libraries.html", {"libraries": rows})
