"""Answers for errors outside DRF's handler: Django's handler400/403/404/500 and CSRF failure view
(wired in mediahub/urls.py and settings), and the rendering ServiceErrorMiddleware shares.

Under /api/ every answer is JSON in DRF's shape (`{"detail": ...}`), so an API client never parses
an HTML page, even for an error raised in a middleware or on a path no route matches. A database
that is away answers 503 with Retry-After wherever it is met, with a page that needs no database.
Unexpected errors answer 500 with an id that the log line carries.
"""

import logging
import sys
import uuid

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import csrf, defaults

from apps.core import errors

logger = logging.getLogger("mediahub.errors")

INTERNAL_ERROR_DETAIL = "internal error; the administrator can find it in the log"


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def new_error_id() -> str:
    return uuid.uuid4().hex[:12]


def json_error(status: int, detail: str, retry_after: int | None = None, **extra) -> JsonResponse:
    response = JsonResponse({"detail": detail, **extra}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def service_error_response(request, error: errors.ServiceError):
    """A service error as JSON under /api/, else as a page (the HTMX fragment for HTMX requests)."""
    retry_after = getattr(error, "retry_after", None)
    if is_api(request):
        return json_error(error.status, str(error), retry_after)
    if isinstance(error, errors.DatabaseUnavailable):
        return database_unavailable_page(request, error)
    template = "core/error_fragment.html" if getattr(request, "htmx", False) else "core/error.html"
    response = render(request, template, {"error": error, "status": error.status}, status=error.status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def database_unavailable_page(request, error: errors.DatabaseUnavailable) -> HttpResponse:
    # No request context: its processors and base.html would ask the database for the user.
    if getattr(request, "htmx", False):
        body = render_to_string("core/error_fragment.html", {"error": error, "status": error.status})
    else:
        body = render_to_string("core/standalone_error.html", {
            "status": error.status,
            "title": _("MediaHub is restarting its database"),
            "message": _(
                "The database went away for a moment and is being brought back. Your photos are safe."
            ),
            "retry_after": error.retry_after,
        })
    response = HttpResponse(body, status=error.status)
    response["Retry-After"] = str(error.retry_after)
    return response


def log_database_unavailable(request, exc: BaseException) -> None:
    where = f"{request.method} {request.path}" if request is not None else "a request"
    logger.warning("database unavailable on %s: %s", where, str(exc).strip())


def bad_request(request, exception):
    if is_api(request):
        return json_error(400, "Bad request.")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return json_error(403, str(exception) or "You do not have permission to perform this action.")
    return service_error_response(request, errors.Refused(str(exception) or _("You may not open this page.")))


def page_not_found(request, exception):
    if is_api(request):
        return json_error(404, "Not found.")
    return service_error_response(request, errors.NotFound(_("There is nothing at this address.")))


def csrf_failure(request, reason=""):
    if is_api(request):
        return json_error(403, f"CSRF Failed: {reason}")
    return csrf.csrf_failure(request, reason)


def server_error(request):
    """handler500: anything no view or middleware answered. Django logs the traceback after this."""
    exc = sys.exc_info()[1]
    if isinstance(exc, errors.DATABASE_ERRORS):
        log_database_unavailable(request, exc)
        return service_error_response(request, errors.DatabaseUnavailable())
    if isinstance(exc, errors.ServiceError):  # raised by a middleware, past ServiceErrorMiddleware
        return service_error_response(request, exc)
    error_id = new_error_id()
    logger.error("unexpected error %s on %s %s: %r", error_id, request.method, request.path, exc)
    if is_api(request):
        return json_error(500, INTERNAL_ERROR_DETAIL, error_id=error_id)
    context = {
        "status": 500,
        "title": _("Something went wrong"),
        "message": _("MediaHub could not answer this request."),
        "error_id": error_id,
    }
    try:  # in the site's layout when the request still allows it (session, user, template)
        return render(request, "core/error.html", {**context, "error": context["message"]}, status=500)
    except Exception:  # noqa: BLE001 - whatever broke the view may break the layout too
        return HttpResponse(render_to_string("core/standalone_error.html", context), status=500)
