"""The trash: list (newest trashed first, keyset-paginated), restore some or all, empty.

Everything here is the caller's trash: the trashed assets they may delete (apps/assets/trash.py).
Trashing itself is `DELETE /api/assets/{id}/` (and bulk-delete) without `permanent`."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.assets import trash
from apps.assets.models import Asset
from apps.assets.user_state import AssetsNotFound
from apps.core.api.viewsets import RestrictedViewSet
from apps.core.pagination import KeysetPagination
from apps.core.querysets import Action

from .serializers.trash import (
    EmptiedSerializer,
    RestoredSerializer,
    RestoreSerializer,
    TrashedAssetSerializer,
)


class TrashPagination(KeysetPagination):
    ordering_fields = ("deleted_at",)
    default_ordering = "-deleted_at"


class TrashViewSet(mixins.ListModelMixin, RestrictedViewSet):
    """The caller's trash: what they deleted (or may delete) and can still restore."""

    queryset = Asset.objects.filter(deleted_at__isnull=False)
    serializer_class = TrashedAssetSerializer
    pagination_class = TrashPagination
    filter_backends = ()
    # The services confine every call to the caller's own trash; nothing here acts on one object.
    action_permissions = {"restore": Action.VIEW, "restore_all": Action.VIEW, "empty": Action.VIEW}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Asset.objects.none()
        return trash.trash_of(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(request=RestoreSerializer, responses={200: RestoredSerializer})
    @action(detail=False, methods=["post"], pagination_class=None)
    def restore(self, request):
        """Take these assets out of the trash, as they were (all or nothing: an id not in the
        caller's trash makes it 404)."""
        body = RestoreSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            restored = trash.restore(request.user, body.validated_data["ids"])
        except AssetsNotFound as exc:
            return Response({"detail": str(exc), "not_found": exc.ids}, status=exc.status)
        return Response({"restored": restored})

    @extend_schema(request=None, responses={200: RestoredSerializer})
    @action(detail=False, methods=["post"], url_path="restore-all", pagination_class=None)
    def restore_all(self, request):
        """Take everything out of the caller's trash."""
        return Response({"restored": trash.restore_all(request.user)})

    @extend_schema(request=None, responses={200: EmptiedSerializer})
    @action(detail=False, methods=["post"], pagination_class=None)
    def empty(self, request):
        """Delete the caller's whole trash for good: derivatives always, originals only in writable
        libraries; an original that cannot be removed stays in the trash and is listed in `kept`."""
        return Response(EmptiedSerializer(trash.empty(request.user)).data)
