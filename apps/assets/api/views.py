from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.assets import services
from apps.assets.filters import AssetFilter
from apps.accounts.asset_state import with_user_state
from apps.assets.models import Asset
from apps.core.pagination import TimelinePagination

from .serializers import (
    AssetDetailSerializer,
    AssetSerializer,
    BulkDeleteSerializer,
    DeleteResultSerializer,
    RotateSerializer,
)


class AssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Assets of the libraries the user can see, newest first by default."""

    queryset = Asset.objects.none()  # for the schema; real rows come from visible_to
    filterset_class = AssetFilter
    pagination_class = TimelinePagination

    def get_queryset(self):
        assets = Asset.objects.visible_to(self.request.user).alive()
        if self.action in ("list", "retrieve"):
            assets = with_user_state(assets, self.request.user)  # the caller's favourite/rating, one join
        if self.action == "retrieve":
            assets = assets.select_related("metadata")
        if self.action in ("destroy", "rotate"):
            assets = assets.select_related("library")
        return assets

    def get_serializer_class(self):
        return AssetDetailSerializer if self.action == "retrieve" else AssetSerializer

    def _modifiable(self):
        asset = self.get_object()
        if not services.can_modify(self.request.user, asset):
            raise PermissionDenied("only the library's owner can change this asset")
        return asset

    @extend_schema(
        parameters=[OpenApiParameter("permanent", OpenApiTypes.BOOL, description="Also delete the original file")],
        responses={204: None, 409: OpenApiTypes.OBJECT},
    )
    def destroy(self, request, *args, **kwargs):
        """Remove from the index (derivatives too); `?permanent=true` also deletes the original."""
        asset = self._modifiable()
        if request.query_params.get("permanent", "").lower() in ("1", "true", "yes"):
            result = services.delete_original(asset)
            if result.status != 204:
                return Response({"detail": result.detail}, status=result.status)
        else:
            services.remove_from_index([asset])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=BulkDeleteSerializer, responses=DeleteResultSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="bulk-delete")
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
        asset = self._modifiable()
        body = RotateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.rotate(asset, body.validated_data["degrees"])
        return Response(AssetSerializer(asset).data)
