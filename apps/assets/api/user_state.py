"""The caller's own favourite, rating and rejected flag: on one asset (`assets/<id>/state`), or on
many at once from the gallery's selection (`assets/batch/`).

Seeing an asset is enough to flag it: the flags are the caller's own, so every method needs only
Action.VIEW.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from apps.assets import user_state
from apps.assets.models import Asset
from apps.core.api.viewsets import RestrictedViewSet
from apps.core.querysets import Action

from .serializers import AssetStateSerializer, BatchResultSerializer, BatchSerializer


class AssetStateViewSet(RestrictedViewSet):
    """The caller's own favourite, rating and rejected flag for one asset."""

    queryset = Asset.objects.alive()
    serializer_class = AssetStateSerializer
    action_permissions = {"partial_update": Action.VIEW, "create": Action.VIEW, "batch": Action.VIEW}
    pagination_class = None
    filter_backends = ()

    @extend_schema(responses=AssetStateSerializer)
    def retrieve(self, request, pk=None):
        state = user_state.state_of(request.user, self.get_object())
        return Response(AssetStateSerializer(state).data)

    @extend_schema(request=AssetStateSerializer, responses=AssetStateSerializer)
    def partial_update(self, request, pk=None):
        asset = self.get_object()
        serializer = AssetStateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        state = user_state.update_state(request.user, asset, serializer.validated_data)
        return Response(AssetStateSerializer(state).data)

    @extend_schema(request=AssetStateSerializer, responses={200: AssetStateSerializer})
    def create(self, request, pk=None):
        """Same as PATCH, for clients that only POST."""
        return self.partial_update(request, pk)

    @extend_schema(request=BatchSerializer, responses={200: BatchResultSerializer})
    def batch(self, request):
        """Apply one action to many assets (all or nothing: ids the caller cannot see make it 404)."""
        body = BatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            updated = user_state.apply_action(request.user, data["ids"], data["action"], data.get("rating"))
        except user_state.AssetsNotFound as exc:
            # The one refusal whose answer carries more than a message: which ids were not found.
            return Response({"detail": str(exc), "not_found": exc.ids}, status=exc.status)
        return Response({"action": data["action"], "updated": updated})
