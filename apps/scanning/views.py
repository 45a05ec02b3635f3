"""The Libraries page: one view per action, each rendering the page or (for htmx) its fragment."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.decorators import role_required
from apps.core.querysets import Action, get_visible
from apps.core.validators import plain_id

from . import failures, ignored, roots, services, sharing
from .models import LIBRARY_MANAGER, Library, ScanRun
from .queries import libraries_with_counts

PAGE = "scanning/libraries.html"

# What each button of a library row needs (visible_to(user, action) decides who holds it).
ROW_ACTIONS = {
    "rename": Action.CHANGE,
    "writable": Action.CHANGE,
    "read-only": Action.CHANGE,
    "pause": Action.MANAGE,
    "resume": Action.MANAGE,
    "remove": Action.DELETE,
    "scan": Action.MANAGE,
    "share": Action.MANAGE,
    "unshare": Action.MANAGE,
    "include": Action.MANAGE,
}


def _with_sharing(rows: list, users: list) -> list:
    """Each library's sharers, and who else could be given it, from one list of active users."""
    for library in rows:
        shared = {u.pk for u in library.shared_with.all()}
        library.sharers = [u for u in users if u.pk in shared]
        library.share_candidates = [u for u in users if u.pk not in shared and u.pk != library.owner_id]
    return rows


def _page(request, status=200, form_error=None, form_values=None):
    rows = libraries_with_counts(Library.objects.visible_to(request.user)).order_by("name")
    can_manage = request.user.has_role(LIBRARY_MANAGER)
    if can_manage:
        users = list(get_user_model().objects.filter(is_active=True).order_by("username"))
        rows = _with_sharing(list(rows.prefetch_related("shared_with", "ignored_paths")), users)
    context = {
        "libraries": rows,
        "can_manage": can_manage,
        "form_error": form_error,
        "form_values": form_values or {},
    }
    template = f"{PAGE}#library-list" if request.htmx else PAGE
    return render(request, template, context, status=status)


@login_required
@require_GET
def libraries(request):
    return _page(request)


@login_required
@require_POST
@role_required(LIBRARY_MANAGER)
def library_add(request):
    path, name = request.POST.get("path", "").strip(), request.POST.get("name", "").strip()
    try:
        library = services.add_library(path, request.user, name or None)
    except services.LibraryPathError as exc:
        # htmx only swaps 2xx answers into the page; a plain form post gets the real 400.
        status = 200 if request.htmx else 400
        return _page(request, status=status, form_error=str(exc), form_values={"path": path, "name": name})
    messages.success(request, _("Added '%(name)s'. Scan it to index its files.") % {"name": library.name})
    return _page(request) if request.htmx else redirect("libraries")


@login_required
@require_POST
def library_action(request, pk, action):
    # Unseen: 404; seen but not the caller's to act on: 403 (ServiceErrorMiddleware answers both).
    library = get_visible(Library.objects.all(), request.user, ROW_ACTIONS[action], pk=pk)
    try:
        if action == "rename":
            name = request.POST.get("name", "").strip()
            if name:
                services.rename_library(library, name[:200])
        elif action in ("writable", "read-only"):
            services.set_read_only(library, action == "read-only")
        elif action == "pause":
            services.set_paused(library, True)
        elif action == "resume":
            services.set_paused(library, False)
        elif action == "remove":
            services.remove_library(library)
            done = _("Removed '%(name)s'. Its files on disk were not touched.")
            messages.success(request, done % {"name": library.name})
        elif action == "scan":
            services.start_scan(library, full=request.POST.get("full") == "1")
        elif action in ("share", "unshare"):
            _share(request, library, action)
        elif action == "include":
            ids = [pk for pk in map(plain_id, request.POST.getlist("ignored")) if pk is not None]
            if ignored.include_again(library, ids):
                done = _("The next scan of '%(name)s' indexes it again.")
                messages.success(request, done % {"name": library.name})
    except (services.ScanConflict, services.BadInput) as exc:
        # Shown on the page it was pressed on, rather than an error page.
        messages.error(request, str(exc))
    return _page(request) if request.htmx else redirect("libraries")


def _share(request, library, action) -> None:
    users = sharing.users_by_id(request.POST.getlist("user"))
    if action == "share":
        sharing.share_library(library, users)
        names = {"name": library.name, "users": ", ".join(map(str, users))}
        messages.success(request, _("'%(name)s' is shared with %(users)s.") % names)
    else:
        sharing.unshare_library(library, users)
        names = {"name": library.name, "users": ", ".join(map(str, users))}
        messages.success(request, _("'%(name)s' is no longer shared with %(users)s.") % names)


@login_required
@require_GET
def scan_progress(request, pk):
    run = get_object_or_404(ScanRun.objects.visible_to(request.user).select_related("library"), pk=pk)
    response = render(request, f"{PAGE}#scan-progress", {"run": run})
    if request.GET.get("poll") and run.state not in services.ACTIVE_STATES:
        # The poll that sees the scan end tells the page to refresh its counts.
        response["HX-Trigger"] = "scan-finished"
    return response


@login_required
@require_GET
@role_required(LIBRARY_MANAGER)
def browse(request):
    path = request.GET.get("path") or roots.allowed_roots()[0].as_posix()
    try:
        listing, error = roots.browse_directory(path), None
    except (roots.LibraryPathError, roots.PathNotAllowed) as exc:
        listing, error = None, str(exc)
    return render(request, f"{PAGE}#directory-picker", {"listing": listing, "browse_error": error})


@login_required
@require_GET
def scan_errors(request, pk):
    """The files a scan's "Errors N" counts, each with its reason and a link to the photo."""
    run = get_visible(ScanRun.objects.select_related("library"), request.user, Action.VIEW, pk=pk)
    unreadable, failed = failures.failed_files(run)
    context = {
        "run": run,
        "unreadable": unreadable,
        "failed": failed,
        "failed_count": failures.failed_assets(run).count(),
        "can_retry": ScanRun.objects.visible_to(request.user, Action.MANAGE).filter(pk=run.pk).exists(),
    }
    return render(request, "scanning/scan_errors.html", context)


@login_required
@require_POST
def scan_retry(request, pk):
    run = get_visible(ScanRun.objects.select_related("library"), request.user, Action.MANAGE, pk=pk)
    queued = failures.retry_failed(run)
    if queued:
        trying = ngettext("Trying %(count)d file again in the background.",
                          "Trying %(count)d files again in the background.", queued)
        messages.success(request, trying % {"count": queued})
    else:
        messages.info(request, _("Nothing to retry: no photo of this library has a failed step."))
    return redirect("scan-errors", pk=run.pk)
