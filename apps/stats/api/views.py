"""/api/jobs/ and /api/system/: the installation's background work and machine, the admin role's.

Rights: jobs act on every library at once and the system report names paths and versions, so both
need the admin role (HasRole("admin")), as face jobs do; there is no object to be visible_to.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.status import HTTP_202_ACCEPTED
from rest_framework.views import APIView

from apps.accounts.permissions import HasRole
from apps.accounts.roles import Role

from ..services import job_actions, jobs, system
from ..services.kinds import BY_NAME
from .serializers import (
    JobPauseSerializer,
    JobRunRequestSerializer,
    JobRunSerializer,
    JobsSerializer,
    SystemSerializer,
)

KIND = OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(BY_NAME))


class JobsView(APIView):
    permission_classes = [HasRole(Role.ADMIN)]

    @extend_schema(responses=JobsSerializer)
    def get(self, request):
        """Per job kind: queued, running, failed and done counts, latest failures, pause state."""
        return Response(JobsSerializer(jobs.overview()).data)


class JobViewSet(viewsets.ViewSet):
    """The actions on one job kind (a viewset for the routes; there is no list: JobsView is it)."""

    permission_classes = [HasRole(Role.ADMIN)]
    lookup_field = "kind"
    lookup_value_regex = "[a-z_]+"

    @extend_schema(parameters=[KIND], request=JobRunRequestSerializer, responses={202: JobRunSerializer})
    @action(detail=True, methods=["post"])
    def run(self, request, kind=None):
        """Queue what is missing, everything again, or what failed (202 with the count queued);
        409 while the kind is paused."""
        body = JobRunRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = job_actions.run(kind, body.validated_data["action"], request.user)
        return Response(JobRunSerializer(result).data, status=HTTP_202_ACCEPTED)

    @extend_schema(parameters=[KIND], request=None, responses={202: JobPauseSerializer})
    @action(detail=True, methods=["post"])
    def pause(self, request, kind=None):
        """Pause a kind: its queued work is not started until it is resumed."""
        result = job_actions.set_paused(kind, True, request.user)
        return Response(JobPauseSerializer(result).data, status=HTTP_202_ACCEPTED)

    @extend_schema(parameters=[KIND], request=None, responses={202: JobPauseSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request, kind=None):
        """Resume a kind and queue what waited while it was paused."""
        result = job_actions.set_paused(kind, False, request.user)
        return Response(JobPauseSerializer(result).data, status=HTTP_202_ACCEPTED)


class SystemView(APIView):
    permission_classes = [HasRole(Role.ADMIN)]

    @extend_schema(responses=SystemSerializer)
    def get(self, request):
        """Version, uptime, ingest rates, ffmpeg, models, disk use."""
        return Response(SystemSerializer(system.report()).data)
