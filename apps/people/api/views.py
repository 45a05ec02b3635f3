"""Read-only faces API: faces of assets, face crops, and whether/how far face detection runs."""

import io

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.assets.models import Asset
from apps.core.pagination import KeysetPagination
from apps.people import services
from apps.people.filters import FaceFilter
from apps.people.models import Face

from .serializers import FaceSerializer, FacesStatusSerializer

THUMBNAIL_SIZES = (32, 1024)
DEFAULT_THUMBNAIL_SIZE = 160


def visible_faces(user):
    return Face.objects.visible_to(user).select_related("person")


def face_or_404(user, pk) -> Face:
    # Routes take any string as pk (so one route serves every id form); a non-number is simply absent.
    if not str(pk).isdigit():
        raise Http404
    return get_object_or_404(visible_faces(user), pk=int(pk))


class FaceViewSet(viewsets.ReadOnlyModelViewSet):
    """Faces on assets the user can see; filter by `asset`, `person` or `unassigned`."""

    queryset = Face.objects.none()  # for the schema; real rows come from visible_to
    serializer_class = FaceSerializer
    filterset_class = FaceFilter
    pagination_class = KeysetPagination

    def get_queryset(self):
        return visible_faces(self.request.user)

    def get_object(self):
        face = face_or_404(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, face)
        return face


class AssetFacesView(ListAPIView):
    """All faces of one asset with their boxes (a photo has few: no pagination)."""

    serializer_class = FaceSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        asset = get_object_or_404(Asset.objects.visible_to(self.request.user).alive(), pk=self.kwargs["pk"])
        return visible_faces(self.request.user).filter(asset=asset).order_by("x", "y")


class FaceThumbnailView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("size", int, description="edge in px, 32-1024")],
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        face = face_or_404(request.user, pk)
        return jpeg_response(face, thumbnail_size(request.query_params.get("size")))


def jpeg_response(face: Face, size: int) -> HttpResponse:
    try:
        crop = services.face_crop(face, size)
    except services.NoPreview as exc:
        raise Http404(str(exc)) from None
    buffer = io.BytesIO()
    crop.save(buffer, "JPEG", quality=85)
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


class FacesStatusView(APIView):
    """Backend in use, its model files and progress over the caller's assets; 503 when unavailable."""

    @extend_schema(responses={200: FacesStatusSerializer, 503: FacesStatusSerializer})
    def get(self, request):
        body = FacesStatusSerializer(services.faces_status(request.user)).data
        if not body["available"]:
            return Response({"detail": f"faces unavailable: {body['reason']}", **body},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response(body)
