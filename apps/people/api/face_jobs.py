"""Face work: start and stop detection, re-cluster, clear everything, settings, status.

Rights: these act on the whole installation (every library's faces, one shared queue), so they
need the admin role (`HasRole("admin")`; roles.py gives admins "manage people/faces"), not mere
ownership of some photos. Reading the status and the settings is open to every signed-in user.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.status import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT, HTTP_503_SERVICE_UNAVAILABLE

from apps.accounts.permissions import HasRole, ReadOnly
from apps.people.services import face_jobs, face_settings, faces_status

from .serializers.face_jobs import (
    ClusterParamsSerializer,
    DetectSerializer,
    DetectStartedSerializer,
    FaceJobSerializer,
    FaceSettingsAnswerSerializer,
    FaceSettingsSerializer,
    FacesStatusSerializer,
    StopResultSerializer,
)


class FaceJobViewSet(viewsets.ViewSet):
    """Routes on the faces collection as a whole (`faces/detect`, `faces/status`, ...)."""

    permission_classes = [HasRole("admin")]

    @extend_schema(responses={200: FacesStatusSerializer, 503: FacesStatusSerializer})
    @action(detail=False, url_path="status", url_name="status", permission_classes=[IsAuthenticated])
    def current_status(self, request):
        """Backend in use, its model files and progress over the caller's assets; 503 when unavailable."""
        body = FacesStatusSerializer(faces_status(request.user)).data
        if not body["available"]:
            return Response(
                {"detail": f"faces unavailable: {body['reason']}", **body},
                status=HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response(body)

    @extend_schema(
        methods=["GET"],
        responses=FaceSettingsAnswerSerializer,
        description="The detection and clustering settings in force, and the environment's defaults.",
    )
    @extend_schema(
        methods=["PATCH"],
        request=FaceSettingsSerializer,
        responses=FaceSettingsAnswerSerializer,
        description="Change any of them (admins); null returns a field to its default. 400 names the field.",
    )
    @action(
        detail=False,
        methods=["get", "patch"],
        url_path="settings",
        url_name="settings",
        permission_classes=[IsAuthenticated, HasRole("admin") | ReadOnly],
    )
    def current_settings(self, request):
        """GET the settings in force; PATCH (admins) any of them (described per method above)."""
        if request.method == "PATCH":
            body = FaceSettingsSerializer(data=request.data, partial=True)
            body.is_valid(raise_exception=True)
            face_settings.update(body.validated_data, request.user)
        return Response({**face_settings.current().as_dict(), "defaults": face_settings.defaults()})

    @extend_schema(request=DetectSerializer, responses={202: DetectStartedSerializer})
    @action(detail=False, methods=["post"])
    def detect(self, request):
        """Queue face detection (202 with the job); 409 while detection runs, 503 without a backend."""
        body = DetectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = face_jobs.start_detection(body.validated_data["mode"], request.user)
        data = DetectStartedSerializer({"queued": job.assets_total, "job": job}).data
        return Response(data, status=HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=StopResultSerializer)
    @action(detail=False, methods=["post"])
    def stop(self, request):
        """Stop detection: queued batches are skipped, the running one finishes."""
        return Response(StopResultSerializer({"stopped": face_jobs.stop()}).data)

    @extend_schema(request=ClusterParamsSerializer, responses={202: FaceJobSerializer})
    @action(detail=False, methods=["post"])
    def recluster(self, request):
        """Queue a full re-cluster (user assignments and named people stay); parameters default to
        the saved settings. 409 while one is queued or running."""
        body = ClusterParamsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = face_jobs.start_recluster(request.user, body.validated_data)
        return Response(FaceJobSerializer(job).data, status=HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=False, methods=["post"])
    def clear(self, request):
        """Delete every face, person and rejection and the faces stage status; 409 while a face job runs."""
        face_jobs.clear_all()
        return Response(status=HTTP_204_NO_CONTENT)
