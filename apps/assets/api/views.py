"""Assets: list (filters, timeline pagination), detail, trash or delete, bulk delete, rotate, reprocess,
metadata edits (one asset, or a selection).

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
from apps.assets.edits import services as edits
from apps.assets.filters import AssetFilter
from apps.assets.models import Asset
from apps.core.api.viewsets import RestrictedViewSet
from apps.core.pagination import TimelinePagination
from apps.core.querysets import Action

from .serializers import (
    AssetDetailSerializer,
    AssetSerializer,
    BatchEditResultSerializer,
    BatchEditSerializer,
    BulkDeleteSerializer,
    DeleteResultSerializer,
    EditSerializer,
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
        "edit": Action.CHANGE,
        "edit_batch": Action.VIEW,  # the service checks every id: all or nothing
    }

    def get_queryset(self):
        assets = super().get_queryset()
        if self.action == "destroy":
            # A trashed asset can still be deleted for good, by who sees it in their trash; nothing else.
            restorable = trash.trash_of(self.request.user).values("pk")
            assets = assets.filter(Q(deleted_at__isnull=True) | Q(pk__in=restorable))
        else:
            assets = assets.alive()
        if self.action in ("list", "retrieve", "edit"):
            assets = user_state.with_user_state(assets, self.request.user)  # the caller's flags, one join
        if self.action in ("retrieve", "edit"):
            assets = assets.select_related("metadata", "generation", "quality_detail")
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

    @extend_schema(request=EditSerializer, responses=AssetDetailSerializer)
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        """Set the title, description, capture time or location, or revert them to the file's values.
        The file is never changed (except its XMP sidecar in a writable library with
        MEDIAHUB_WRITE_SIDECARS on); the edit wins over a later rescan."""
        asset = self.get_object()
        body = EditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        edits.edit_one(request.user, asset, body.changes())
        return Response(AssetDetailSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(request=BatchEditSerializer, responses=BatchEditResultSerializer, operation_id="assets_edit_batch")
    @action(detail=False, methods=["post"], url_path="edit", url_name="edit-batch",
            pagination_class=None, filter_backends=[])
    def edit_batch(self, request):
        """The same edit on a selection: shift the dates, set a time zone, set or copy a location.
        All or nothing: an id the caller cannot see answers 404 (with `not_found`), one they may not
        change 403, a date leaving 1800-2200 400 naming the photo."""
        body = BatchEditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            assets = edits.changeable(request.user, body.validated_data["ids"])
        except edits.AssetsNotFound as exc:
            return Response({"detail": str(exc), "not_found": exc.ids}, status=exc.status)
        edited = edits.edit_assets(request.user, assets, body.changes())
        return Response({"updated": len(edited)})
