"""Duplicate groups (list, detail, summary, keep one / keep all / stack) and "similar" for one asset.

A group is visible when every member is (`DuplicateGroup.objects.visible_to`), and resolving it
needs the right to change every member: the base viewset checks that before any action runs.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.assets.duplicates import services, similar
from apps.assets.models import Asset, DuplicateGroup
from apps.core.api.viewsets import RestrictedViewSet
from apps.core.pagination import KeysetPagination

from .serializers import (
    ChoiceSerializer,
    GroupDetailSerializer,
    GroupSerializer,
    SimilarItemSerializer,
    SummarySerializer,
)


class GroupPagination(KeysetPagination):
    ordering_fields = ("created",)
    default_ordering = "-created"


RESOLVED = OpenApiParameter("resolved", OpenApiTypes.BOOL, description="List resolved groups instead of open ones")


class DuplicateGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    """Duplicate groups the caller can see every member of; a group with one hidden member is not there."""

    queryset = DuplicateGroup.objects.all()
    pagination_class = GroupPagination

    def get_queryset(self):
        groups = super().get_queryset()
        resolved = None
        if self.action == "list":
            # Lists show open (or resolved) groups; a group's own URL answers whatever its state.
            resolved = self.request.query_params.get("resolved", "").lower() in ("1", "true", "yes")
            groups = groups.filter(resolved_at__isnull=not resolved)
        if kind := self.request.query_params.get("kind"):
            groups = groups.filter(kind=kind)
        groups = services.with_counts(groups)
        if self.action == "list" and not resolved:
            groups = services.still_duplicates(groups)
        return groups

    def get_serializer_class(self):
        return GroupSerializer if self.action == "list" else GroupDetailSerializer

    @extend_schema(parameters=[RESOLVED, OpenApiParameter("kind", OpenApiTypes.STR, enum=["exact", "near"])])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=SummarySerializer)
    @action(detail=False)
    def summary(self, request):
        """Open groups, the assets in them and the bytes keeping one of each would free."""
        return Response(SummarySerializer(services.summary(request.user)).data)

    def _act(self, request, act):
        group = self.get_object()
        choice = ChoiceSerializer(data=request.data)
        choice.is_valid(raise_exception=True)
        act(group, choice.validated_data.get("asset"))
        return Response(GroupDetailSerializer(self.get_queryset().get(pk=group.pk), context={"request": request}).data)

    @extend_schema(request=ChoiceSerializer, responses=GroupDetailSerializer)
    @action(detail=True, methods=["post"])
    def keep(self, request, pk=None):
        """Keep one member; the others go to the trash and their favourites, ratings and location join it."""
        return self._act(request, lambda group, asset: services.keep_one(request.user, group, asset))

    @extend_schema(request=None, responses=GroupDetailSerializer)
    @action(detail=True, methods=["post"], url_path="keep-all")
    def keep_all(self, request, pk=None):
        """Dismiss the group: all stay, and the same set is not proposed again."""
        return self._act(request, lambda group, _asset: services.keep_all(request.user, group))

    @extend_schema(request=ChoiceSerializer, responses=GroupDetailSerializer)
    @action(detail=True, methods=["post"])
    def stack(self, request, pk=None):
        """Keep all, shown as one stack with the chosen member on top."""
        return self._act(request, lambda group, asset: services.stack(request.user, group, asset))


class SimilarViewSet(RestrictedViewSet):
    """Assets like this one: visual (pHash, with CLIP where embedded), colour (histogram intersection) or person (shared people)."""

    queryset = Asset.objects.alive()
    pagination_class = None
    filter_backends = ()

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=list(similar.KINDS), description="default visual"),
            OpenApiParameter("threshold", OpenApiTypes.NUMBER, description=(
                "visual: max pHash bits apart (default 12); colour: min intersection 0-1 (default 0.6); "
                "person: min shared people (default 1)")),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"1-{similar.MAX_LIMIT}, default 24"),
        ],
        responses=SimilarItemSerializer(many=True),
    )
    def similar(self, request, pk=None):
        asset = self.get_object()
        query = request.query_params
        try:
            found = similar.similar(
                request.user, asset, query.get("kind", "visual"), query.get("threshold"), query.get("limit", 24)
            )
        except ValueError as exc:
            # {"detail": "..."} as this route has always answered; a field-less BadInput would
            # answer {"detail": ["..."]} (apps/core/api/exceptions.py).
            raise ValidationError({"detail": str(exc)}) from None
        return Response(SimilarItemSerializer(found, many=True, context={"request": request}).data)
