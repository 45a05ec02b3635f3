from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.assets.models import Asset

from . import services


@never_cache
@require_GET
def health(request):
    report, healthy = services.health_report()
    return JsonResponse(report, status=200 if healthy else 503)


@never_cache
@require_GET
def ready(request):
    report, is_ready = services.readiness_report()
    return JsonResponse(report, status=200 if is_ready else 503)


@login_required
def stats_page(request):
    by_kind = (
        Asset.objects.visible_to(request.user)
        .alive()
        .values("kind")
        .annotate(count=Count("id"), bytes=Sum("size"))
        .order_by("kind")
    )
    return render(request, "stats/index.html", {"by_kind": by_kind})
