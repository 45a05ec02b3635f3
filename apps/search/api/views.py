from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.asset_state import with_user_state
from apps.assets.filters import AssetFilter
from apps.assets.models import Asset
from apps.core.pagination import KeysetPagination
from apps.search import services
from apps.search.forms import SearchParams

from .serializers import FilterDimensionSerializer, SearchResultSerializer


class SearchPagination(KeysetPagination):
    ordering_fields = ("score",)
    default_ordering = "-score"  # best first; ties by id, so a cursor (score, id) is exact


class AssetFilterSchemaOnly(DjangoFilterBackend):
    """Lists AssetFilter's parameters in the schema; services.search applies the filter (the HTML page shares it)."""

    def filter_queryset(self, request, queryset, view):
        return queryset


def _search_parameters():
    return [OpenApiParameter(name, OpenApiTypes.STR, description=str(field.help_text or ""))
            for name, field in SearchParams.base_fields.items()]


@extend_schema(parameters=_search_parameters())
class SearchView(generics.ListAPIView):
    """Words (prefix, accent-blind) over file name, folders, camera, lens and places, plus every asset filter.

    `filename=` is a substring match on the file name (a sequential scan: no trigram index).
    """

    queryset = Asset.objects.none()  # for the schema; rows come from services.search
    serializer_class = SearchResultSerializer
    pagination_class = SearchPagination
    filterset_class = AssetFilter
    filter_backends = [AssetFilterSchemaOnly]

    def get_queryset(self):
        try:
            assets = services.search(self.request.user, self.request.query_params)
        except services.InvalidSearch as exc:
            raise ValidationError(exc.errors) from None
        return with_user_state(assets, self.request.user)


class FilterOptionsView(APIView):
    """Values with counts of each dimension over the assets the caller can see, for dropdowns."""

    @extend_schema(
        parameters=[OpenApiParameter("dimension", OpenApiTypes.STR, enum=list(services.DIMENSIONS),
                                     description="One dimension; all when left out")],
        responses=FilterDimensionSerializer(many=True),
    )
    def get(self, request):
        wanted = request.query_params.getlist("dimension")
        try:
            dimensions = services.filter_options(request.user, wanted)
        except KeyError as exc:
            raise ValidationError({"dimension": [f"unknown: {exc.args[0]}; one of {', '.join(services.DIMENSIONS)}"]}) from None
        return Response(FilterDimensionSerializer(dimensions, many=True).data)
