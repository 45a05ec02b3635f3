"""One DRF exception handler: service errors (apps/core/errors.py) become their status codes, a
database that is away a 503 with Retry-After, and nothing unexpected ever answers an HTML page."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from apps.core import errors
from apps.core.error_views import INTERNAL_ERROR_DETAIL, log_database_unavailable, new_error_id

from .parsers import RequestTooLarge

logger = logging.getLogger("mediahub.api")


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"


class UnavailableError(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "This feature is unavailable."
    default_code = "unavailable"


def _messages(value) -> list[str]:
    """One message or several (a form's errors list) for one field."""
    return [str(m) for m in value] if isinstance(value, (list, tuple)) else [str(value)]


def as_api_exception(exc: errors.ServiceError) -> exceptions.APIException:
    if isinstance(exc, errors.BadInput):
        if exc.errors:
            return exceptions.ValidationError({k: _messages(v) for k, v in exc.errors.items()})
        return exceptions.ValidationError({"detail": [str(exc)]})
    if isinstance(exc, errors.NotFound):
        return exceptions.NotFound(str(exc) or None)
    if isinstance(exc, errors.Refused):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, errors.Conflict):
        return ConflictError(str(exc) or None)
    if isinstance(exc, errors.Unavailable):
        return UnavailableError(str(exc) or None)
    return _with_status(exc)


def _with_status(exc: errors.ServiceError) -> exceptions.APIException:
    """The refusals that need no DRF class of their own (413, 415, 507): the service error's status."""
    api_exc = exceptions.APIException(str(exc) or None)
    api_exc.status_code = exc.status
    return api_exc


def exception_handler(exc, context):
    if isinstance(exc, errors.DATABASE_ERRORS):
        log_database_unavailable(context.get("request"), exc)
        exc = errors.DatabaseUnavailable()
    retry_after = getattr(exc, "retry_after", None)
    if isinstance(exc, errors.ServiceError):
        exc = as_api_exception(exc)
    elif isinstance(exc, RequestDataTooBig):  # a form body over DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = RequestTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    elif isinstance(exc, SuspiciousOperation):  # too many form fields or files, and the like
        exc = exceptions.ParseError(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        # Unexpected: a JSON 500 whose id is in the log, never Django's HTML page.
        error_id = new_error_id()
        logger.exception("unexpected API error %s", error_id, exc_info=exc)
        set_rollback()
        response = Response(
            {"detail": INTERNAL_ERROR_DETAIL, "error_id": error_id},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
