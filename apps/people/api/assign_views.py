"""Saying who a face is: assign one or many faces to a person (or a new one), or unassign one.

Rights: faces are looked up through `visible_to` (404 when hidden from the caller); changing one
needs the right to change its photo (`Asset.objects.visible_to(user, Action.CHANGE)`: the library's
owner or a superadmin), else 403. The target person must be visible too (400 "no such person" otherwise).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.people.services import assignment

from .errors import ServiceErrors
from .people_serializers import AssignSerializer, BatchAssignSerializer, PersonSerializer
from .people_views import people_by_ids
from .serializers import FaceSerializer
from .views import face_or_404, visible_faces

FACE_ID = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="face id")


class BatchAssignResultSerializer(serializers.Serializer):
    person = PersonSerializer()
    faces = serializers.ListField(child=serializers.IntegerField())


def _target(user, data):
    if "person" in data:
        return people_by_ids(user, [data["person"]], "person")[0], None
    return None, data["name"]


class FaceAssignView(ServiceErrors, APIView):
    @extend_schema(parameters=[FACE_ID], request=AssignSerializer, responses=FaceSerializer)
    def post(self, request, pk):
        """Put the face into `person`, or into a new person called `name`; clustering keeps it there."""
        face = face_or_404(request.user, pk)
        body = AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person, name = _target(request.user, body.validated_data)
        assignment.assign_faces(request.user, [face], person=person, name=name)
        return Response(FaceSerializer(face_or_404(request.user, pk)).data)


class FaceUnassignView(ServiceErrors, APIView):
    @extend_schema(parameters=[FACE_ID], request=None, responses=FaceSerializer)
    def post(self, request, pk):
        """Take the face out of its person; clustering will never put it back into that person."""
        face = face_or_404(request.user, pk)
        assignment.unassign_face(request.user, face)
        return Response(FaceSerializer(face_or_404(request.user, pk)).data)


class FacesBatchAssignView(ServiceErrors, APIView):
    @extend_schema(
        request=BatchAssignSerializer,
        responses=BatchAssignResultSerializer,
        operation_id="faces_assign_batch",
    )
    def post(self, request):
        """Put several faces into one person (or a new one called `name`)."""
        body = BatchAssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = list(dict.fromkeys(body.validated_data["faces"]))
        faces = list(visible_faces(request.user).select_related("asset__library").filter(pk__in=ids))
        missing = sorted(set(ids) - {face.pk for face in faces})
        if missing:
            raise ValidationError({"faces": [f"no such face: {', '.join(map(str, missing))}"]})
        person, name = _target(request.user, body.validated_data)
        person = assignment.assign_faces(request.user, faces, person=person, name=name)
        data = {"person": person, "faces": ids}
        return Response(BatchAssignResultSerializer(data, context={"request": request}).data)
