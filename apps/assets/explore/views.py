"""Pages: the memories strip at the top of Photos (loaded by htmx after the grid) and the
Folders pages. A library the user cannot see, or a path leaving it, is the error middleware's
404 / 400 (apps.core.errors raised by the services)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from apps.core import keyset
from apps.scanning.models import Library

from ..models import Asset
from ..stacks.services import one_per_stack
from ..presentation import PAGE_SIZE, grid_rows, media_url
from ..user_state import with_user_state
from . import folders, memories


@login_required
def memories_strip(request):
    day = memories.parse_day(request.GET.get("date"), timezone.localdate())
    cards = [
        {"memory": memory, "cover": media_url(memory.assets[0], "thumbnail"), "rows": grid_rows(memory.assets, "")}
        for memory in memories.on_this_day(request.user, day)
    ]
    return render(request, "assets/_memories.html", {"cards": cards, "day": day})


@login_required
def folder_libraries(request):
    libraries = Library.objects.visible_to(request.user).order_by("name")
    return render(request, "assets/folders.html", {"libraries": libraries})


@login_required
def folder_page(request, library):
    folder = folders.folder(request.user, library, request.GET.get("path"))
    assets = folders.in_directory(Asset.objects.filter(library=folder.library).alive(), folder.path)
    assets = one_per_stack(assets, request.user)  # a RAW+JPEG pair is one tile here too
    assets = with_user_state(assets, request.user)  # the tiles' favourite and rating badges
    try:
        page = keyset.timeline_page(assets.select_related("library"), request.GET.get("cursor"), PAGE_SIZE)
    except ValueError:
        page = keyset.timeline_page(assets.select_related("library"), None, PAGE_SIZE)
    next_url = None
    if page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        next_url = f"?{query.urlencode()}"
    set_query = urlencode({"library": folder.library.pk, "directory": folder.path or "/"})
    context = {
        "folder": folder, "rows": grid_rows(page.items, ""), "next_url": next_url, "set_query": set_query,
        "fileops": folders.may_change_files(request.user, folder.library),
        "subfolders": [{"folder": sub, "cover": media_url(sub.cover, "thumbnail") if sub.cover else None}
                       for sub in folder.folders],
    }
    if request.htmx and request.GET.get("cursor"):
        return render(request, "assets/folder.html#folder-files", context)
    return render(request, "assets/folder.html", context)
