"""Faces: list and detail, face crops, the faces of one asset, and saying who a face is.

Rights come from `Face.objects.visible_to(user, action)` through the base viewset: a face the
caller cannot see answers 404; assigning or unassigning one needs the right to change its photo
(the library's owner or a superadmin), else 403. A target person must be visible too (400 "no such
person" otherwise).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.assets.models import Asset
from apps.core.api.viewsets import RestrictedViewSetMixin
from apps.core.errors import BadInput
from apps.core.pagination import KeysetPagination
from apps.core.querysets import get_visible
from apps.people.filters import FaceFilter
from apps.people.models import Face
from apps.people.services import assignment
from apps.people.services.lookalikes import lookalike_groups
from apps.people.services.people import people_by_ids, people_with_covers

from .crops import JPEG, SIZE_PARAMETER, jpeg_response, thumbnail_size
from .serializers.faces import (
    AssignSerializer,
    BatchAssignResultSerializer,
    BatchAssignSerializer,
    FaceGroupSerializer,
    FaceSerializer,
)

# The path id as the schema names it (drf-spectacular calls every pk "id"): any string; one
# that is not a face id is not found.
FACE_ID = OpenApiParameter("id", str, OpenApiParameter.PATH, description="face id")


def _target(user, data):
    """The person a body names (`person`, visible to `user`), or the name of a new one."""
    if "person" in data:
        return people_by_ids(user, [data["person"]], "person")[0], None
    return None, data["name"]


class FaceViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Faces on assets the user can see; filter by `asset`, `person` or `unassigned`."""

    queryset = Face.objects.select_related("person")
    serializer_class = FaceSerializer
    filterset_class = FaceFilter
    pagination_class = KeysetPagination
    lookup_value_regex = "[^/]+"  # any string: one that is not a face id is simply not found

    @extend_schema(parameters=[FACE_ID])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(parameters=[FACE_ID, SIZE_PARAMETER], responses=JPEG)
    @action(detail=True, url_path="thumbnail", url_name="thumbnail")
    def thumbnail(self, request, pk=None):
        """A square crop of the face from the photo's preview."""
        return jpeg_response(self.get_object(), thumbnail_size(request.query_params.get("size")))

    @extend_schema(parameters=[FACE_ID], request=AssignSerializer, responses=FaceSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Put the face into `person`, or into a new person called `name`; clustering keeps it there."""
        face = self.get_object()
        body = AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person, name = _target(request.user, body.validated_data)
        assignment.assign_faces(request.user, [face], person=person, name=name)
        return Response(FaceSerializer(self.get_queryset().get(pk=face.pk)).data)

    @extend_schema(parameters=[FACE_ID], request=None, responses=FaceSerializer)
    @action(detail=True, methods=["post"])
    def unassign(self, request, pk=None):
        """Take the face out of its person; clustering will never put it back into that person."""
        face = assignment.unassign_face(request.user, self.get_object())
        return Response(FaceSerializer(self.get_queryset().get(pk=face.pk)).data)

    @extend_schema(
        request=BatchAssignSerializer,
        responses=BatchAssignResultSerializer,
        operation_id="faces_assign_batch",
    )
    def assign_many(self, request):
        """Put several faces into one person (or a new one called `name`)."""
        body = BatchAssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = list(dict.fromkeys(body.validated_data["faces"]))
        faces = list(self.get_queryset().filter(pk__in=ids))
        missing = sorted(set(ids) - {face.pk for face in faces})
        if missing:
            raise BadInput(errors={"faces": f"no such face: {', '.join(map(str, missing))}"})
        person, name = _target(request.user, body.validated_data)
        person = assignment.assign_faces(request.user, faces, person=person, name=name)
        data = {"person": people_with_covers(request.user).get(pk=person.pk), "faces": ids}
        return Response(BatchAssignResultSerializer(data, context={"request": request}).data)

    @extend_schema(responses=FaceGroupSerializer(many=True), operation_id="faces_groups")
    def groups(self, request):
        """Look-alike groups of the unassigned faces the caller may change (their own photos),
        biggest first: name one with POST /api/faces/assign."""
        groups = lookalike_groups(request.user)
        return Response(FaceGroupSerializer([{"faces": group} for group in groups], many=True).data)


class AssetFacesView(RestrictedViewSetMixin, generics.ListAPIView):
    """All faces of one asset with their boxes (a photo has few: no pagination)."""

    queryset = Face.objects.select_related("person")
    serializer_class = FaceSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        asset = get_visible(Asset.objects.alive(), self.request.user, pk=self.kwargs["pk"])
        return super().get_queryset().filter(asset=asset).order_by("x", "y")
