"""HTML answers for service errors (apps/core/errors.py), the counterpart of the API's handler:
a page view lets a NotFound, Refused, Conflict... propagate and the user gets a short page with
the reason and its status (an HTMX request gets just the message fragment)."""

from django.shortcuts import render

from apps.core.errors import ServiceError


class ServiceErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ServiceError):
            return None
        return render_service_error(request, exception)


def render_service_error(request, error: ServiceError):
    template = "core/error_fragment.html" if getattr(request, "htmx", False) else "core/error.html"
    response = render(request, template, {"error": error, "status": error.status}, status=error.status)
    if getattr(error, "retry_after", None):
        response["Retry-After"] = str(error.retry_after)
    return response
