"""Running face work: start and stop detection, re-cluster, clear everything, settings.

Rights: these act on the whole installation (every library's faces, one shared queue), so they
need the admin role (`HasRole("admin")`; roles.py gives admins "manage people/faces"), not mere
ownership of some photos. Reading the settings is open to every signed-in user.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import HasRole, ReadOnly
from apps.people.services import face_settings, faces_control

from .control_serializers import (
    ClusterParamsSerializer,
    DetectSerializer,
    DetectStartedSerializer,
    FaceJobSerializer,
    FaceSettingsAnswerSerializer,
    FaceSettingsSerializer,
    StopResultSerializer,
)
from .errors import ServiceErrors

ADMINS = [HasRole("admin")]


class DetectView(ServiceErrors, APIView):
    permission_classes = ADMINS

    @extend_schema(request=DetectSerializer, responses={202: DetectStartedSerializer})
    def post(self, request):
        """Queue face detection (202 with the job); 409 while detection runs, 503 without a backend."""
        body = DetectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = faces_control.start_detection(body.validated_data["mode"], request.user)
        data = DetectStartedSerializer({"queued": job.assets_total, "job": job}).data
        return Response(data, status=status.HTTP_202_ACCEPTED)


class StopView(ServiceErrors, APIView):
    permission_classes = ADMINS

    @extend_schema(request=None, responses=StopResultSerializer)
    def post(self, request):
        """Stop detection: queued batches are skipped, the running one finishes."""
        return Response(StopResultSerializer({"stopped": faces_control.stop()}).data)


class ReclusterView(ServiceErrors, APIView):
    permission_classes = ADMINS

    @extend_schema(request=ClusterParamsSerializer, responses={202: FaceJobSerializer})
    def post(self, request):
        """Queue a full re-cluster (user assignments and named people stay); parameters default to
        the saved settings. 409 while one is queued or running."""
        body = ClusterParamsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = faces_control.start_recluster(request.user, body.validated_data)
        return Response(FaceJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ClearView(ServiceErrors, APIView):
    permission_classes = ADMINS

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        """Delete every face, person and rejection and the faces stage status; 409 while a face job runs."""
        faces_control.clear_all()
        return Response(status=status.HTTP_204_NO_CONTENT)


class FaceSettingsView(ServiceErrors, APIView):
    permission_classes = [IsAuthenticated, HasRole("admin") | ReadOnly]

    @extend_schema(responses=FaceSettingsAnswerSerializer)
    def get(self, request):
        """The detection and clustering settings in force, and the environment's defaults."""
        return Response(_answer())

    @extend_schema(request=FaceSettingsSerializer, responses=FaceSettingsAnswerSerializer)
    def patch(self, request):
        """Change any of them (admins); null returns a field to its default. 400 names the field."""
        body = FaceSettingsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        face_settings.update(body.validated_data, request.user)
        return Response(_answer())


def _answer() -> dict:
    return {**face_settings.current().as_dict(), "defaults": face_settings.defaults()}
