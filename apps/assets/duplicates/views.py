"""Review page for duplicate groups, its htmx actions, and the detail view's "Similar" panel."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from apps.assets.models import Asset
from apps.assets.views import camera_name, local_taken_at, media_url

from . import services, similar

GROUPS_PER_PAGE = 50
SIMILAR_IN_PANEL = 12


def _card(group):
    members = [
        {"member": m, "asset": m.asset, "thumbnail": media_url(m.asset, "thumbnail"), "camera": camera_name(m.asset),
         "taken": local_taken_at(m.asset)}
        for m in group.members.all()  # prefetched by services.with_members: no query per group
    ]
    return {"group": group, "members": members, "recoverable": services.recoverable(group)}


@login_required
def review(request):
    groups = services.with_members(services.groups_for(request.user)).order_by("-created", "-id")[:GROUPS_PER_PAGE]
    context = {"cards": [_card(g) for g in groups], "summary": services.summary(request.user)}
    return render(request, "assets/duplicates.html", context)


ACTIONS = {
    "keep": lambda user, group, asset: services.keep_one(user, group, asset),
    "keep-all": lambda user, group, _asset: services.keep_all(user, group),
    "stack": lambda user, group, asset: services.stack(user, group, asset),
}


@login_required
@require_POST
def act(request, pk, action):
    """One button of a group card; answers the card again, now showing how it was resolved."""
    groups = services.groups_for(request.user, resolved=None)
    group = get_object_or_404(groups, pk=pk)
    if action not in ACTIONS:
        return HttpResponse(f"unknown action {action}", status=400)
    try:
        ACTIONS[action](request.user, group, request.POST.get("asset") or None)
    except services.ActionRefused as refused:
        return HttpResponse(refused.detail, status=refused.status)
    return render(request, "assets/duplicates.html#group-card", _card(services.with_members(groups).get(pk=pk)))


@login_required
def similar_panel(request, pk):
    asset = get_object_or_404(Asset.objects.visible_to(request.user).alive(), pk=pk)
    kind = request.GET.get("kind", "visual")
    try:
        found = similar.similar(request.user, asset, kind, limit=SIMILAR_IN_PANEL)
        reason = ""
    except (similar.SimilarityUnavailable, ValueError) as exc:
        found, reason = [], str(exc)
    items = [{"item": f, "thumbnail": media_url(f.asset, "thumbnail")} for f in found]
    context = {"asset": asset, "items": items, "kind": kind, "kinds": similar.KINDS, "reason": reason,
               "compared_by": "" if reason else similar.compared_by(asset, kind)}
    return render(request, "assets/duplicates_similar.html", context)
