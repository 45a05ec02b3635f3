"""Face crops as JPEG answers: the thumbnails of faces and of people."""

import io

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from apps.people.models import Face
from apps.people.services import face_crop

THUMBNAIL_SIZES = (32, 1024)
DEFAULT_THUMBNAIL_SIZE = 160
SIZE_PARAMETER = OpenApiParameter("size", int, description="edge in px, 32-1024")
JPEG = {(200, "image/jpeg"): OpenApiTypes.BINARY}


def jpeg_response(face: Face, size: int) -> HttpResponse:
    """A square crop of `face` (NoPreview, a 404, while its photo has no preview)."""
    buffer = io.BytesIO()
    face_crop(face, size).save(buffer, "JPEG", quality=85)
    response = HttpResponse(buffer.getvalue(), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def thumbnail_size(raw) -> int:
    if raw in (None, ""):
        return DEFAULT_THUMBNAIL_SIZE
    low, high = THUMBNAIL_SIZES
    try:
        size = int(raw)
    except ValueError:
        raise ValidationError({"size": f"an integer from {low} to {high}"}) from None
    if not low <= size <= high:
        raise ValidationError({"size": f"an integer from {low} to {high}"})
    return size
