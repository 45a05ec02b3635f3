from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.assets.filters import AssetFilter
from apps.assets.models import Asset
from apps.assets.user_state import with_user_state
from apps.core.api.viewsets import RestrictedViewSetMixin
from apps.core.pagination import KeysetPagination
from apps.search import hybrid, semantic, services
from apps.search.clip.coverage import coverage
from apps.search.forms import SearchParams
from apps.search.ocr import reading

from .serializers import AssetTextSerializer, CoverageSerializer, FilterDimensionSerializer, SearchResultSerializer


class SearchPagination(KeysetPagination):
    ordering_fields = ("score",)
    default_ordering = "-score"  # best first; ties by id, so a cursor (score, id) is exact
    outcome: hybrid.Outcome | None = None  # set by the view: which search ran

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["search_type"] = self.outcome.search_type
        response.data["notice"] = self.outcome.notice
        return response

    def get_paginated_response_schema(self, schema):
        body = super().get_paginated_response_schema(schema)
        body["properties"]["search_type"] = {
            "type": "string", "enum": list(hybrid.SEARCH_TYPES),
            "description": "The search that ran (also the X-Search-Type header)",
        }
        body["properties"]["notice"] = {
            "type": "string", "description": "Why it is not the one asked for (hybrid without a CLIP model runs text)",
        }
        return body


class AssetFilterSchemaOnly(DjangoFilterBackend):
    """Lists AssetFilter's parameters in the schema; services.search applies the filter (the HTML page shares it)."""

    def filter_queryset(self, request, queryset, view):
        return queryset


def _search_parameters():
    return [OpenApiParameter(name, OpenApiTypes.STR, description=str(field.help_text or ""))
            for name, field in SearchParams.base_fields.items()]


@extend_schema(
    parameters=_search_parameters(),
    responses={200: SearchResultSerializer(many=True),
               400: OpenApiResponse(description="Bad parameters, by field"),
               503: OpenApiResponse(description="search_type=semantic without a CLIP model; `detail` says why")},
)
class SearchView(RestrictedViewSetMixin, generics.ListAPIView):
    """Words (prefix, accent-blind) over file name, folders, camera, lens and places, meaning (CLIP), or
    both (hybrid), plus every asset filter.

    `filename=` is a substring match on the file name, ignoring case (an index of its pieces). Semantic
    results are the 1,000 nearest by meaning, best first.
    """

    queryset = Asset.objects.all()
    serializer_class = SearchResultSerializer
    pagination_class = SearchPagination
    filterset_class = AssetFilter
    filter_backends = [AssetFilterSchemaOnly]

    def get_queryset(self):
        """The rows of apps.search.hybrid.run, which starts from `Asset.objects.visible_to(user)` as the
        Search page does; the base viewset's own restricted queryset serves only the schema. Bad
        parameters (400) and a missing CLIP model (503) are service errors the handler answers."""
        if getattr(self, "swagger_fake_view", False):
            return super().get_queryset()
        self.outcome = hybrid.run(self.request.user, self.request.query_params)
        return with_user_state(self.outcome.assets, self.request.user)

    def list(self, request, *args, **kwargs):
        assets = self.get_queryset()
        self.paginator.outcome = self.outcome
        page = self.paginate_queryset(assets)
        data = self.get_serializer(page, many=True).data
        response = self.get_paginated_response(data)
        response["X-Search-Type"] = self.outcome.search_type
        return response


class FilterOptionsView(APIView):
    """Values with counts of each dimension over the assets the caller can see, for dropdowns."""

    @extend_schema(
        parameters=[OpenApiParameter("dimension", OpenApiTypes.STR, enum=list(services.DIMENSIONS),
                                     description="One dimension; all when left out")],
        responses=FilterDimensionSerializer(many=True),
    )
    def get(self, request):
        dimensions = services.filter_options(request.user, request.query_params.getlist("dimension"))
        return Response(FilterDimensionSerializer(dimensions, many=True).data)


class CoverageView(APIView):
    """How many of the assets the caller can see have each embedding (CLIP, faces, search document),
    how many are missing or failed, which model makes it, and whether it can run here (with the reason)."""

    @extend_schema(responses=CoverageSerializer)
    def get(self, request):
        return Response(CoverageSerializer(coverage(request.user)).data)


class AssetTextView(RestrictedViewSetMixin, generics.RetrieveAPIView):
    """The text read in a photo (signs, screens, documents): its lines with their boxes and
    confidences, in reading order. Empty lines and a null `read_at` when it was not read yet."""

    queryset = Asset.objects.all()
    serializer_class = AssetTextSerializer

    @extend_schema(responses={200: AssetTextSerializer,
                              503: OpenApiResponse(description="Not read yet, and the OCR model cannot run here")})
    def get(self, request, *args, **kwargs):
        return Response(AssetTextSerializer(reading.text_for(self.get_object())).data)
