"""Timeline buckets (the scrubber), "on this day" memories and the folder tree: read-only views
over `Asset.objects.visible_to(user)` (the base mixin), shaped by apps/assets/explore/."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.assets.explore import folders, memories, timeline
from apps.assets.filters import AssetFilter
from apps.assets.models import Asset
from apps.core.api.viewsets import RestrictedViewSetMixin
from apps.core.errors import BadInput
from apps.core.validators import plain_id

from .serializers.explore import (
    BucketSerializer,
    FolderSerializer,
    HideMemorySerializer,
    MemoriesSerializer,
)


class TimelineBucketsView(RestrictedViewSetMixin, generics.GenericAPIView):
    """Counts per month of what the caller sees through the asset filters, newest first; with
    `month=YYYY-MM`, per day inside that month."""

    queryset = Asset.objects.alive()
    filterset_class = AssetFilter
    pagination_class = None
    serializer_class = BucketSerializer

    @extend_schema(
        parameters=[OpenApiParameter("month", OpenApiTypes.STR, description="`YYYY-MM`: count per day inside it")],
        responses=BucketSerializer(many=True),
    )
    def get(self, request):
        assets = self.filter_queryset(self.get_queryset())
        month = request.query_params.get("month")
        if month or set(request.query_params) & set(AssetFilter.base_filters):
            rows = timeline.buckets(assets, month)
        else:
            rows = timeline.visible_buckets(request.user)
        return Response(BucketSerializer(rows, many=True).data)


class MemoriesView(APIView):
    """"On this day": photos of the same calendar day (give or take 3 days) in earlier years, a
    varied handful per year, without trashed, rejected or hidden ones."""

    @extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, description="Default: today")],
        responses=MemoriesSerializer,
    )
    def get(self, request):
        day = memories.parse_day(request.query_params.get("date"), timezone.localdate())
        found = memories.on_this_day(request.user, day)
        body = MemoriesSerializer({"date": day, "memories": found}, context={"request": request})
        return Response(body.data)


class HideMemoryView(APIView):
    """Hide (POST) or show again (DELETE) one memory, for the caller only."""

    def _day_and_year(self, request):
        body = HideMemorySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data["date"], body.validated_data["year"]

    @extend_schema(request=HideMemorySerializer, responses={204: None})
    def post(self, request):
        memories.hide(request.user, *self._day_and_year(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=HideMemorySerializer, responses={204: None})
    def delete(self, request):
        memories.unhide(request.user, *self._day_and_year(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class FolderView(APIView):
    """One folder of a library the caller sees: subfolders with counts and covers."""

    @extend_schema(
        parameters=[
            OpenApiParameter("library", OpenApiTypes.INT, required=True),
            OpenApiParameter("path", OpenApiTypes.STR, description="Relative to the library root; default the root"),
        ],
        responses=FolderSerializer,
    )
    def get(self, request):
        library = plain_id(request.query_params.get("library", ""))
        if library is None:
            raise BadInput(_("a library id"), field="library")
        found = folders.folder(request.user, library, request.query_params.get("path"))
        return Response(FolderSerializer(found).data)
