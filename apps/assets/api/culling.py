"""Culling: the caller's series of shots (bursts, stacks, capture-time runs) with a suggested best,
and their keep / reject decisions, written to the caller's own rejected flags (never a deletion).

Series come from the photos the caller sees (the asset filters narrow them: `library`,
`taken_after`, ...); members and scores of photos they cannot see never appear. Deciding needs only
to see the photos: the flags are the caller's own.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from apps.assets import user_state
from apps.assets.filters import AssetFilter
from apps.assets.models import Asset
from apps.assets.quality import decisions, series
from apps.core.api.viewsets import RestrictedViewSet
from apps.core.pagination import page_size_from
from apps.core.querysets import Action

from .serializers.culling import DecisionResultSerializer, DecisionSerializer, SeriesPageSerializer

PAGE_SIZE, MAX_PAGE_SIZE = 10, 50


class CullingViewSet(RestrictedViewSet):
    queryset = Asset.objects.all()
    filterset_class = AssetFilter
    pagination_class = None
    action_permissions = {"series": Action.VIEW, "decide": Action.VIEW}  # the flags are the caller's own

    @extend_schema(
        parameters=[
            OpenApiParameter("cursor", OpenApiTypes.STR, description="Opaque position from the previous page's `next`"),
            OpenApiParameter("page_size", OpenApiTypes.INT, description=f"Series per page (1-{MAX_PAGE_SIZE}, "
                             f"default {PAGE_SIZE}); a page may hold a few more when one quiet gap closes several"),
        ],
        responses=SeriesPageSerializer,
    )
    def series(self, request):
        """Series of shots newest first, each with its members, their scores, your rejected flags and
        the suggested best."""
        visible = self.get_queryset().alive()
        shown = self.filter_queryset(visible)
        try:
            found = series.page(shown, visible, request.user, request.query_params.get("cursor"), page_size_from(request, PAGE_SIZE, MAX_PAGE_SIZE))
        except ValueError as exc:
            raise ValidationError({"cursor": str(exc)}) from None
        next_url = None
        if found.next_cursor:
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", found.next_cursor)
        return Response(SeriesPageSerializer({"next": next_url, "results": found.series}).data)

    @extend_schema(request=DecisionSerializer, responses={200: DecisionResultSerializer})
    def decide(self, request):
        """Keep some photos and reject others, all or nothing (ids you cannot see: 404 with
        `not_found`). Rejecting sets your own rejected flag; nothing is deleted."""
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = decisions.decide(request.user, body.validated_data["keep"], body.validated_data["reject"])
        except user_state.AssetsNotFound as exc:
            return Response({"detail": str(exc), "not_found": exc.ids}, status=exc.status)
        return Response(DecisionResultSerializer(result).data)
