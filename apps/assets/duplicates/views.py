"""Review page for duplicate groups, its htmx actions, and the detail view's "Similar" panel.

Refusals (a group the user may not resolve, one resolved already, a member not in it) are
apps.core errors raised by the services; the error middleware answers them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

from apps.assets.models import Asset, DuplicateGroup
from apps.assets.presentation import camera_name, local_taken_at, media_url
from apps.core.errors import BadInput
from apps.core.querysets import get_visible

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
    group = get_visible(DuplicateGroup.objects.all(), request.user, pk=pk)
    if action not in ACTIONS:
        raise BadInput(f"unknown action {action}")
    ACTIONS[action](request.user, group, request.POST.get("asset") or None)
    card = services.with_members(services.groups_for(request.user, resolved=None)).get(pk=pk)
    return render(request, "assets/duplicates.html#group-card", _card(card))


@login_required
def similar_panel(request, pk):
    asset = get_visible(Asset.objects.alive(), request.user, pk=pk)
    kind = request.GET.get("kind", "visual")
    try:
        found = similar.similar(request.user, asset, kind, limit=SIMILAR_IN_PANEL)
        reason = ""
    except ValueError as exc:  # a kind this photo cannot be compared by, or a bad one: said in the panel
        found, reason = [], str(exc)
    items = [{"item": f, "thumbnail": media_url(f.asset, "thumbnail")} for f in found]
    context = {"asset": asset, "items": items, "kind": kind, "kinds": similar.KINDS, "reason": reason,
               "compared_by": "" if reason else similar.compared_by(asset, kind)}
    return render(request, "assets/duplicates_similar.html", context)
