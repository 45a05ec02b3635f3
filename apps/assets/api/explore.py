"""Timeline buckets (the scrubber), "on this day" memories and the folder tree: read-only views
over `Asset.objects.visible_to(user)` (the base mixin), shaped by apps/assets/explore/."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.assets.explore import folders, memories, timeline
from apps.assets.filters import AssetFilter
from apps.assets.models import Asset
from apps.assets.presentation import media_url
from apps.core.api.viewsets import RestrictedViewSetMixin
from apps.core.errors import BadInput
from apps.core.validators import plain_id


class BucketSerializer(serializers.Serializer):
    bucket = serializers.CharField(help_text="`YYYY-MM`, or `YYYY-MM-DD` inside a month")
    count = serializers.IntegerField()
    before = serializers.DateTimeField(help_text="Just after the bucket: `/?at=` this shows the bucket first")


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


class MemoryAssetSerializer(serializers.ModelSerializer):
    """What a story card and its viewer need; `/api/assets/{id}/` has the rest."""

    class Meta:
        model = Asset
        fields = ["id", "kind", "filename", "taken_at", "taken_at_offset", "width", "height", "duration"]
        read_only_fields = fields


class MemorySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    years_ago = serializers.IntegerField()
    title = serializers.CharField()
    assets = MemoryAssetSerializer(many=True)


class MemoriesSerializer(serializers.Serializer):
    date = serializers.DateField()
    memories = MemorySerializer(many=True)


class HideMemorySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The day the memory was shown on")
    year = serializers.IntegerField(min_value=1800, max_value=9999, help_text="The memory's year")


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


class SubfolderSerializer(serializers.Serializer):
    name = serializers.CharField()
    path = serializers.CharField()
    count = serializers.IntegerField(help_text="Files in it and below")
    cover = serializers.SerializerMethodField(help_text="Thumbnail URL of its newest photo")

    def get_cover(self, folder) -> str | None:
        return media_url(folder.cover, "thumbnail") if folder.cover else None


class CrumbSerializer(serializers.Serializer):
    name = serializers.CharField()
    path = serializers.CharField()

    def to_representation(self, crumb):
        return {"name": crumb[0], "path": crumb[1]}


class FolderSerializer(serializers.Serializer):
    library = serializers.IntegerField(source="library.pk")
    path = serializers.CharField(allow_blank=True, help_text="Relative to the library root; `` is the root")
    parent = serializers.CharField(allow_null=True, allow_blank=True)
    count = serializers.IntegerField(help_text="Files directly in it: `/api/assets/?library=&directory=` lists them")
    breadcrumbs = CrumbSerializer(many=True)
    folders = SubfolderSerializer(many=True)


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
            raise BadInput("a library id", field="library")
        found = folders.folder(request.user, library, request.query_params.get("path"))
        return Response(FolderSerializer(found).data)
