"""HTML: the Tags page (a tree with counts and covers) and a photo's tags on its page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.assets.models import Asset
from apps.assets.presentation import media_url
from apps.core.querysets import get_visible

from . import services
from .models import SEPARATOR


def tree(tags, user) -> list[dict]:
    """Rows in path order with their depth; a level no visible tag has (a file keyword's
    `Places/Italy` when only `Places/Italy/Rome` is on your photos) is a row without a tag. Where
    the caller has a tag of the same path as a file keyword, the row is theirs."""
    rows = {}
    for tag in tags:
        levels = tag.path.split(SEPARATOR)
        for depth in range(1, len(levels) + 1):
            path = SEPARATOR.join(levels[:depth])
            rows.setdefault(path.casefold(), {"path": path, "name": levels[depth - 1], "depth": depth - 1, "tag": None})
        row = rows[tag.key]
        if row["tag"] is None or tag.owner_id == user.pk:
            row["tag"] = tag
    return sorted(rows.values(), key=lambda row: row["path"].casefold().split(SEPARATOR))


@login_required
@require_GET
def tags_page(request):
    tags = list(services.with_counts(services.visible_tags(request.user), request.user))
    covers = {a.pk: a for a in Asset.objects.filter(pk__in=[t.cover for t in tags if t.cover])}
    rows = tree(tags, request.user)
    for row in rows:
        cover = row["tag"] and covers.get(row["tag"].cover)
        row["cover_url"] = media_url(cover, "thumbnail") if cover else ""
    return render(request, "tags/index.html", {"rows": rows, "user_id": request.user.pk})


@login_required
@require_GET
def asset_tags(request, asset_id):
    """A photo's tags (the viewer's own and the file's keywords) with add and remove: a fragment of
    the photo's page."""
    asset = get_visible(Asset.objects.all(), request.user, pk=asset_id)
    return render(request, "tags/_asset_tags.html", {"asset": asset, "tags": services.tags_of(request.user, asset)})
