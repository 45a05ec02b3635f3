"""Review page for duplicate groups, its htmx actions, and the detail view's "Similar" panel.

Refusals (a group the user may not resolve, one resolved already, a member not in it) are
apps.core errors raised by the services; the error middleware answers them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import role_required
from apps.accounts.roles import Role
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


FINDER = Role.SUPERADMIN  # the search spans every owner's libraries


def _page(request, **extra):
    groups = services.with_members(services.groups_for(request.user)).order_by("-created", "-id")[:GROUPS_PER_PAGE]
    return {
        "cards": [_card(g) for g in groups],
        "summary": services.summary(request.user),
        "can_find": request.user.has_role(FINDER),
        **extra,
    }


@login_required
def review(request):
    return render(request, "assets/duplicates.html", _page(request))


@require_POST
@role_required(FINDER)
def find(request):
    """"Find duplicates now": the search goes to a worker; 202, the page says so."""
    task_id = services.queue_find_duplicates()
    message = _("Duplicate search started: new groups appear on this page when it is done.")
    if request.htmx:
        return render(request, "assets/duplicates.html#find-status", {"find_message": message}, status=202)
    return render(request, "assets/duplicates.html", _page(request, find_message=message, task_id=task_id), status=202)


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
        raise BadInput(_("unknown action %(action)s") % {"action": action})
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
