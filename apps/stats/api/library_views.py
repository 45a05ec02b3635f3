"""/api/stats/...: statistics of the assets the caller sees (their libraries', those shared with
them and the albums shared with them; never the trash). Any signed-in user: each sees only their
own set (apps/stats/services/counts.py); there is no object to refuse."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from django.utils.translation import gettext as _

from apps.assets.models import Asset
from apps.core.errors import BadInput

from ..services import activity, calendar, exposure, gear, overview
from . import library_serializers as shapes

KIND = OpenApiParameter("kind", OpenApiTypes.STR, enum=Asset.Kind.values, description="Only assets of this kind")
YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="Default: the latest year with dated assets")
LIMIT = OpenApiParameter("limit", OpenApiTypes.INT, description=f"1-{gear.MAX_LIMIT}, default {gear.DEFAULT_LIMIT}")


def _limit(raw) -> int:
    if raw in (None, ""):
        return gear.DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise BadInput(_("a whole number"), field="limit") from None
    if not 1 <= limit <= gear.MAX_LIMIT:
        raise BadInput(_("between 1 and %(MAX_LIMIT)s") % {"MAX_LIMIT": gear.MAX_LIMIT}, field="limit")
    return limit


class OverviewView(APIView):
    @extend_schema(parameters=[KIND], responses=shapes.StatsOverviewSerializer)
    def get(self, request):
        """Counts and storage (originals, derivatives) per kind, per library and per file type."""
        result = overview.overview(request.user, request.query_params.get("kind"))
        return Response(shapes.StatsOverviewSerializer(result).data)


class ActivityView(APIView):
    @extend_schema(parameters=[KIND], responses=shapes.StatsActivitySerializer)
    def get(self, request):
        """Assets per year and month (UTC), per hour of the day and weekday (camera's clock)."""
        result = activity.activity(request.user, request.query_params.get("kind"))
        return Response(shapes.StatsActivitySerializer(result).data)


class CalendarView(APIView):
    @extend_schema(parameters=[YEAR, KIND], responses=shapes.StatsCalendarSerializer)
    def get(self, request):
        """Assets per day of one year (UTC days): the heatmap."""
        params = request.query_params
        result = calendar.calendar(request.user, params.get("year"), params.get("kind"))
        return Response(shapes.StatsCalendarSerializer(result).data)


class GearView(APIView):
    @extend_schema(parameters=[KIND, LIMIT], responses=shapes.StatsGearSerializer)
    def get(self, request):
        """The most used cameras, lenses and camera + lens pairs."""
        params = request.query_params
        result = gear.gear(request.user, params.get("kind"), _limit(params.get("limit")))
        return Response(shapes.StatsGearSerializer(result).data)


class ExposureView(APIView):
    @extend_schema(parameters=[KIND], responses=shapes.StatsExposureSerializer)
    def get(self, request):
        """ISO, aperture, shutter speed and focal length distributions."""
        result = exposure.exposure(request.user, request.query_params.get("kind"))
        return Response(shapes.StatsExposureSerializer(result).data)
