"""Service refusals as DRF answers: 400 with the field, 403, 409 conflict, 503 unavailable."""

from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError

from apps.people.backends import FacesUnavailable
from apps.people.services import Conflict, InvalidRequest, NotAllowed
from apps.people.services.face_settings import InvalidSettings


class ConflictError(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class Unavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"


def translate(exc: Exception) -> Exception:
    if isinstance(exc, InvalidSettings):
        return ValidationError({field: [reason] for field, reason in exc.errors.items()})
    if isinstance(exc, InvalidRequest):
        return ValidationError({exc.field or "detail": [str(exc)]})
    if isinstance(exc, NotAllowed):
        return PermissionDenied(str(exc))
    if isinstance(exc, Conflict):
        return ConflictError(str(exc))
    if isinstance(exc, FacesUnavailable):
        return Unavailable(f"faces unavailable: {exc}")
    return exc


class ServiceErrors:
    """View mixin: services raise domain errors, the API answers them with the right status."""

    def handle_exception(self, exc):
        return super().handle_exception(translate(exc))
