"""Answers for errors a page view lets propagate, the counterpart of the API's handler: a NotFound,
Refused, Conflict... becomes a short page with the reason and its status (an HTMX request gets just
the message fragment), JSON under /api/ (a non-DRF view there). A database that is away becomes a
503 page with Retry-After. Anything else goes on to handler500 (apps/core/error_views.py), which
also answers what a middleware raised."""

import corsheaders.middleware
from django.conf import settings
from django.http import JsonResponse

from apps.core import errors
from apps.core.error_views import is_api, log_database_unavailable, service_error_response


class ServiceErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, errors.DATABASE_ERRORS):
            log_database_unavailable(request, exception)
            exception = errors.DatabaseUnavailable()
        if not isinstance(exception, errors.ServiceError):
            return None
        return service_error_response(request, exception)


NUL_MESSAGE = "Null characters are not allowed."
# Reading what a view left of a body lets the connection carry the next request; past this size,
# letting the server close the connection costs less than reading the rest.
DRAIN_LIMIT = 32 * 1024 * 1024


class RejectNulInQueryMiddleware:
    """A NUL byte in a query parameter answers 400 naming the parameter, before any view runs.

    PostgreSQL text cannot hold NUL, so a `?kind=%00` reaching a query was a 500; no parameter
    of ours has a use for it. The API gets DRF's field-error shape, pages the error page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET.lists()
        bad = [key for key, values in query if "\x00" in key or any("\x00" in v for v in values)]
        if not bad:
            return self.get_response(request)
        names = [key.replace("\x00", "\\x00") for key in bad]
        if is_api(request):
            return JsonResponse({name: [NUL_MESSAGE] for name in names}, status=400)
        message = f"{', '.join(names)}: {NUL_MESSAGE.lower()}"
        return service_error_response(request, errors.BadInput(message, field=names[0]))


class DrainRequestBodyMiddleware:
    """Reads and drops what the view left unread of the request body (a 413, a body nobody parses).

    Otherwise the server must close a keep-alive connection with bytes unread (gunicorn drains at
    most 64 KiB), and the client may see a reset instead of the answer, or lose its next request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if 0 < declared <= DRAIN_LIMIT:
            try:
                while request.read(64 * 1024):
                    pass
            except (OSError, ValueError):  # the client went away, or the stream was consumed as a form
                pass
        return response


class CorsMiddleware(corsheaders.middleware.CorsMiddleware):
    """django-cors-headers, on /api/ only (CORS_URLS_REGEX) and off entirely while no origin is
    allowed (MEDIAHUB_CORS_ORIGINS unset): its own would still answer every preflight with an empty
    200 and add `Vary: Origin`, where the API answered as before."""

    def is_enabled(self, request) -> bool:
        return bool(settings.CORS_ALLOWED_ORIGINS) and super().is_enabled(request)
