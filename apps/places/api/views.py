"""Map points, places and trips of what the caller can see (apps/places/services.py applies
`Asset.objects.visible_to`; the base viewset's queryset serves the schema only)."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response

from apps.assets.filters import AssetFilter
from apps.assets.models import Asset
from apps.core.api.viewsets import RestrictedViewSetMixin
from apps.places import services
from apps.search.forms import SearchParams

from .serializers import MapPointsSerializer, PlacesSerializer, TripSerializer


class FiltersInSchemaOnly(DjangoFilterBackend):
    """Lists AssetFilter's parameters in the schema; the service applies them (the pages share it)."""

    def filter_queryset(self, request, queryset, view):
        return queryset


def _search_parameters():
    return [OpenApiParameter(name, OpenApiTypes.STR, description=str(field.help_text or ""))
            for name, field in SearchParams.base_fields.items() if name not in ("search_type",)]


class _PlacesView(RestrictedViewSetMixin, generics.GenericAPIView):
    queryset = Asset.objects.all()
    pagination_class = None


@extend_schema(
    parameters=[OpenApiParameter("zoom", OpenApiTypes.INT, description=str(services.MapParams.base_fields["zoom"].help_text)),
                *_search_parameters()],
    responses={200: MapPointsSerializer, 400: OpenApiResponse(description="Bad parameters, by field")},
)
class MapPointsView(_PlacesView):
    """Positions of the visible assets matching every asset filter (and search's words, place,
    country, year): up to 2,000 points (id, lat, lon, taken_at), else grid-cell clusters with a
    count, centroid, box and representative. `bbox=west,south,east,north` limits to the map's view;
    `zoom` sets the cluster size (default: from the bbox width)."""

    filterset_class = AssetFilter
    filter_backends = [FiltersInSchemaOnly]

    def get(self, request):
        found = services.points(request.user, request.query_params)
        return Response({"clustered": found.clustered, "cell": found.cell, "total": found.total,
                         "points": found.points, "clusters": found.clusters})


@extend_schema(responses=PlacesSerializer)
class PlacesView(_PlacesView):
    """Countries and cities of the caller's visible photos, each with a count and a cover."""

    def get(self, request):
        return Response(PlacesSerializer(services.places(request.user)).data)


@extend_schema(responses={200: TripSerializer(many=True),
                          503: OpenApiResponse(description="scikit-learn is not installed; `detail` says so")})
class TripsView(_PlacesView):
    """The caller's trips: runs of photos away from home, named after their cities, newest first."""

    def get(self, request):
        return Response(TripSerializer(services.trips(request.user), many=True).data)
