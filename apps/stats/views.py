from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.decorators import role_required
from apps.accounts.roles import Role
from apps.core.errors import ServiceError

from . import services
from .services import job_actions, jobs, overview, system

JOBS_PAGE = "stats/jobs.html"
EXPOSURE_CHARTS = [("iso", gettext_lazy("ISO")), ("aperture", gettext_lazy("Aperture")),
                   ("shutter", gettext_lazy("Shutter speed")), ("focal", gettext_lazy("Focal length"))]


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
    """Totals and storage rendered here (the same service as /api/stats/overview/); the charts are
    drawn by static/js/stats.js from the /api/stats/ endpoints the template names."""
    context = {"overview": overview.overview(request.user), "exposure_charts": EXPOSURE_CHARTS}
    return render(request, "stats/index.html", context)


def _jobs_page(request):
    context = {"overview": jobs.overview(), "system": system.report()}
    # htmx (the poll and the buttons) gets the part that changes; the first load the whole page.
    return render(request, f"{JOBS_PAGE}#jobs-body" if request.htmx else JOBS_PAGE, context)


@never_cache
@require_GET
@role_required(Role.ADMIN)
def jobs_page(request):
    return _jobs_page(request)


@require_POST
@role_required(Role.ADMIN)
def job_action(request, kind, action):
    try:
        if action in ("pause", "resume"):
            result = job_actions.set_paused(kind, action == "pause", request.user)
            done = _("%(kind)s: paused") if action == "pause" else _("%(kind)s: resumed")
            queued = _(", %(queued)s queued") % result if result["queued"] else ""
            messages.success(request, done % {"kind": kind} + queued)
        else:
            result = job_actions.run(kind, action, request.user)
            queued = _("%(kind)s: %(queued)s queued")
            messages.success(request, queued % {"kind": kind, "queued": result["queued"]})
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, str(exc))  # shown on the page it was pressed on
    return _jobs_page(request) if request.htmx else redirect("jobs")
