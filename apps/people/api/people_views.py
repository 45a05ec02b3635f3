"""People API: list, detail, rename/hide/cover, delete, merge, suggestions, thumbnails, their assets.

Who may do what (the services say it again where they decide it):
- Every person is looked up through `Person.objects.visible_to(user)` (visible when one of its
  faces is): a person the caller cannot see answers 404, whatever the action.
- Rename, hide, cover, refresh: whoever sees the person (people are shared household knowledge).
- Merge and delete move faces: every moved face must be visible to the caller, else 403.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.assets.api.views import AssetViewSet
from apps.core.pagination import KeysetPagination
from apps.people.filters import PersonFilter
from apps.people.models import Person, shows_person
from apps.people.services import people as people_services
from apps.people.services.refresh import refresh_people

from .errors import ServiceErrors, Unavailable
from .people_serializers import (
    BatchMergeSerializer,
    DistanceSerializer,
    MergeIntoSerializer,
    MergeSuggestionSerializer,
    PersonSerializer,
    SmartMergeResultSerializer,
)
from .views import jpeg_response, thumbnail_size

PERSON_ID = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="person id")


def visible_people(user):
    return Person.objects.visible_to(user)


def person_or_404(user, pk) -> Person:
    if not str(pk).isdigit():  # routes take any string as pk; a non-number is simply absent
        raise Http404
    return get_object_or_404(visible_people(user), pk=int(pk))


def people_by_ids(user, ids, field: str) -> list[Person]:
    """People named in a request body: all must exist and be visible, else 400 naming the missing."""
    found = {p.pk: p for p in visible_people(user).filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError({field: [f"no such person: {', '.join(map(str, missing))}"]})
    return [found[pk] for pk in dict.fromkeys(ids)]


class PeoplePagination(KeysetPagination):
    ordering_fields = ("face_count", "name", "created")
    default_ordering = "-face_count"


class PersonListView(generics.ListAPIView):
    """People the caller sees, biggest first; hidden ones only with `hidden` or `include_hidden`."""

    queryset = Person.objects.none()  # for the schema; real rows come from visible_to
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    pagination_class = PeoplePagination

    def get_queryset(self):
        return visible_people(self.request.user)


@extend_schema_view(
    get=extend_schema(parameters=[PERSON_ID]),
    patch=extend_schema(parameters=[PERSON_ID]),
    delete=extend_schema(parameters=[PERSON_ID]),
)
class PersonDetailView(ServiceErrors, generics.RetrieveUpdateDestroyAPIView):
    """A person; PATCH name, hidden or cover_face (one of their faces); DELETE leaves the faces
    unassigned."""

    serializer_class = PersonSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        return person_or_404(self.request.user, self.kwargs["pk"])

    def perform_update(self, serializer):
        people_services.update_person(serializer.instance, serializer.validated_data)

    def perform_destroy(self, instance):
        people_services.delete_person(self.request.user, instance)


class PersonMergeView(ServiceErrors, APIView):
    @extend_schema(parameters=[PERSON_ID], request=MergeIntoSerializer, responses=PersonSerializer)
    def post(self, request, pk):
        """Merge this person into `into`: faces and rejections move, `into` stays (with its name)."""
        source = person_or_404(request.user, pk)
        body = MergeIntoSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        [target] = people_by_ids(request.user, [body.validated_data["into"]], "into")
        merged = people_services.merge_people(request.user, [source], target)
        return Response(PersonSerializer(merged, context={"request": request}).data)


class PeopleMergeView(ServiceErrors, APIView):
    @extend_schema(
        request=BatchMergeSerializer, responses=PersonSerializer, operation_id="people_merge_batch"
    )
    def post(self, request):
        """Merge several people into one (`into`)."""
        body = BatchMergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sources = people_by_ids(request.user, body.validated_data["people"], "people")
        [target] = people_by_ids(request.user, [body.validated_data["into"]], "into")
        merged = people_services.merge_people(request.user, sources, target)
        return Response(PersonSerializer(merged, context={"request": request}).data)


class MergeSuggestionsView(ServiceErrors, APIView):
    @extend_schema(parameters=[DistanceSerializer], responses=MergeSuggestionSerializer(many=True))
    def get(self, request):
        """Pairs of shown people whose centroids are closer than `max_distance`, closest first."""
        query = DistanceSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        pairs = _suggestions(request.user, query.validated_data.get("max_distance"))
        rows = [{"person": a, "other": b, "distance": d} for a, b, d in sorted(pairs, key=lambda p: p[2])]
        return Response(MergeSuggestionSerializer(rows, many=True, context={"request": request}).data)


class SmartMergeView(ServiceErrors, APIView):
    @extend_schema(request=DistanceSerializer, responses=SmartMergeResultSerializer)
    def post(self, request):
        """Merge every suggested pair, smaller into bigger; two named people are never merged
        automatically, and pairs with faces the caller cannot see are skipped."""
        body = DistanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            report = people_services.smart_merge(request.user, body.validated_data.get("max_distance"))
        except ImportError:
            raise Unavailable("face clustering is not installed in this build") from None
        return Response(SmartMergeResultSerializer(report).data)


def _suggestions(user, max_distance):
    try:
        return people_services.merge_suggestions(user, max_distance)
    except ImportError:
        raise Unavailable("face clustering is not installed in this build") from None


class PersonRefreshCentroidView(ServiceErrors, APIView):
    @extend_schema(parameters=[PERSON_ID], request=None, responses=PersonSerializer)
    def post(self, request, pk):
        """Recompute the person's face count and centroid from their faces."""
        person = person_or_404(request.user, pk)
        refresh_people([person.pk])
        person.refresh_from_db()
        return Response(PersonSerializer(person, context={"request": request}).data)


class PersonThumbnailView(APIView):
    @extend_schema(
        parameters=[PERSON_ID, OpenApiParameter("size", int, description="edge in px, 32-1024")],
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        """The cover face crop, or the person's best face the caller can see."""
        person = person_or_404(request.user, pk)
        size = thumbnail_size(request.query_params.get("size"))
        face = people_services.thumbnail_face(request.user, person)
        if face is None:
            raise Http404("this person has no face you can see")
        return jpeg_response(face, size)


@extend_schema_view(list=extend_schema(parameters=[PERSON_ID]))
class PersonAssetsView(AssetViewSet):
    """Assets showing the person: the asset list itself (same filters, paging and rows), narrowed
    by a semi-join on the person's faces."""

    def get_queryset(self):
        person = person_or_404(self.request.user, self.kwargs["pk"])
        return super().get_queryset().filter(shows_person(person.pk))
