"""Answers for errors a page view lets propagate, the counterpart of the API's handler: a NotFound,
Refused, Conflict... becomes a short page with the reason and its status (an HTMX request gets just
the message fragment), JSON under /api/ (a non-DRF view there). A database that is away becomes a
503 page with Retry-After. Anything else goes on to handler500 (apps/core/error_views.py), which
also answers what a middleware raised."""

from apps.core import errors
from apps.core.error_views import log_database_unavailable, service_error_response


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
