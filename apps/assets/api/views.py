"""Assets: list (filters, timeline pagination), detail, delete, bulk delete, rotate.

Visibility and the right to act come from `Asset.objects.visible_to(user, action)` through the base
viewset: an asset the caller cannot see is 404, one they see but do not own is 403.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.assets import services, user_state
from apps.assets.filters import AssetFilter
from apps.assets.models import Asset
from apps.core.api.viewsets import RestrictedViewSet
from apps.core.pagination import TimelinePagination
from apps.core.querysets import Action

from .serializers import (
    AssetDetailSerializer,
    AssetSerializer,
    BulkDeleteSerializer,
    DeleteResultSerializer,
    RotateSerializer,
)


class AssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, RestrictedViewSet):
    """Assets of the libraries the user can see, newest first by default."""

    queryset = Asset.objects.alive()
    filterset_class = AssetFilter
    pagination_class = TimelinePagination
    action_permissions = {
        "rotate": Action.CHANGE,
        "bulk_delete": Action.VIEW,  # the service checks each id and answers per item
    }

    def get_queryset(self):
        assets = super().get_queryset()
        if self.action in ("list", "retrieve"):
            assets = user_state.with_user_state(assets, self.request.user)  # the caller's flags, one join
        if self.action == "retrieve":
            assets = assets.select_related("metadata")
        if self.action in ("destroy", "rotate"):
            assets = assets.select_related("library")
        return assets

    def get_serializer_class(self):
        return AssetDetailSerializer if self.action == "retrieve" else AssetSerializer

    @extend_schema(
        parameters=[OpenApiParameter("permanent", OpenApiTypes.BOOL, description="Also delete the original file")],
        responses={204: None, 409: OpenApiTypes.OBJECT},
    )
    def destroy(self, request, *args, **kwargs):
        """Remove from the index (derivatives too); `?permanent=true` also deletes the original."""
        asset = self.get_object()
        if request.query_params.get("permanent", "").lower() in ("1", "true", "yes"):
            services.delete_original(asset)
        else:
            services.remove_from_index([asset])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=BulkDeleteSerializer, responses=DeleteResultSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="bulk-delete", pagination_class=None, filter_backends=[])
    def bulk_delete(self, request):
        """Delete many; each item reports its own status (204, 403, 404, 409)."""
        body = BulkDeleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        results = services.bulk_delete(request.user, body.validated_data["ids"], body.validated_data["permanent"])
        return Response(DeleteResultSerializer(results, many=True).data)

    @extend_schema(request=RotateSerializer, responses=AssetSerializer)
    @action(detail=True, methods=["post"])
    def rotate(self, request, pk=None):
        """Rotate on top of the file's orientation; thumbnails and previews are made again."""
        asset = self.get_object()
        body = RotateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.rotate(asset, body.validated_data["degrees"])
        return Response(AssetSerializer(asset).data)
