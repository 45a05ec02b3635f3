"""Assets: list (filters, timeline pagination), detail, trash or delete, bulk delete, rotate, reprocess.

Visibility and the right to act come from `Asset.objects.visible_to(user, action)` through the base
viewset: an asset the caller cannot see is 404, one they see but do not own is 403.
"""

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.assets import services, trash, user_state
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
    ReprocessedSerializer,
    ReprocessSerializer,
    RotateSerializer,
)


class AssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, RestrictedViewSet):
    """Assets of the libraries the user can see, newest first by default."""

    queryset = Asset.objects.all()
    filterset_class = AssetFilter
    pagination_class = TimelinePagination
    action_permissions = {
        "rotate": Action.CHANGE,
        "reprocess": Action.CHANGE,
        "bulk_delete": Action.VIEW,  # the service checks each id and answers per item
    }

    def get_queryset(self):
        assets = super().get_queryset()
        if self.action == "destroy":
            # A trashed asset can still be deleted for good, by who sees it in their trash; nothing else.
            restorable = trash.trash_of(self.request.user).values("pk")
            assets = assets.filter(Q(deleted_at__isnull=True) | Q(pk__in=restorable))
        else:
            assets = assets.alive()
        if self.action in ("list", "retrieve"):
            assets = user_state.with_user_state(assets, self.request.user)  # the caller's flags, one join
        if self.action == "retrieve":
            assets = assets.select_related("metadata", "generation")
        if self.action in ("destroy", "rotate", "reprocess"):
            assets = assets.select_related("library")
        return assets

    def get_serializer_class(self):
        return AssetDetailSerializer if self.action == "retrieve" else AssetSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("permanent", OpenApiTypes.BOOL, description="Delete for good instead of trashing")
        ],
        responses={204: None, 409: OpenApiTypes.OBJECT},
    )
    def destroy(self, request, *args, **kwargs):
        """Move to the trash (restorable for MEDIAHUB_TRASH_DAYS). `?permanent=true` deletes for good:
        derivatives and index entry, and the original too in a writable library."""
        asset = self.get_object()
        if request.query_params.get("permanent", "").lower() in ("1", "true", "yes"):
            services.delete_original(asset)
        else:
            services.move_to_trash(Asset.objects.filter(pk=asset.pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=BulkDeleteSerializer, responses=DeleteResultSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="bulk-delete", pagination_class=None, filter_backends=[])
    def bulk_delete(self, request):
        """Trash many (or delete them for good with `permanent`); each item reports its own status
        (204, 403, 404, 409)."""
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

    @extend_schema(request=ReprocessSerializer, responses={202: ReprocessedSerializer})
    @action(detail=True, methods=["post"])
    def reprocess(self, request, pk=None):
        """Run pipeline stages again for this asset (default: metadata and derivatives), done or not."""
        asset = self.get_object()
        body = ReprocessSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        queued = services.reprocess(asset, body.validated_data.get("stages"))
        return Response(ReprocessedSerializer(queued).data, status=status.HTTP_202_ACCEPTED)
