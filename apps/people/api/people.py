"""People: list, detail, rename/hide/cover, delete, merge, suggestions, thumbnails, their assets.

Who may do what is `Person.objects.visible_to(user, action)`, applied per request by the base
viewset (the services check it again for the admin site and smart merge):
- a person the caller cannot see (none of its faces) answers 404, whatever the action;
- rename, hide, cover (PATCH), delete, and merge (the person merged away: DELETE, the one kept:
  CHANGE) change the person for everyone who sees it: a user needs the right to change every face
  of it, an admin to see every face, else 403 (people management is the admin role's);
- refresh-centroid only recomputes what the faces say, so seeing the person is enough.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from django.utils.translation import gettext as _

from apps.assets.user_state import with_user_state
from apps.assets.filters import AssetFilter
from apps.assets.models import Asset
from apps.core.api.viewsets import RestrictedViewSetMixin
from apps.core.errors import NotFound
from apps.core.pagination import KeysetPagination, TimelinePagination
from apps.core.querysets import Action
from apps.people.filters import PersonFilter
from apps.people.models import Person, shows_person
from apps.people.services import people as people_services
from apps.people.services.refresh import refresh_people

from .crops import JPEG, SIZE_PARAMETER, jpeg_response, thumbnail_size
from .serializers.people import (
    BatchMergeSerializer,
    DistanceSerializer,
    MergeIntoSerializer,
    MergeSuggestionSerializer,
    PersonAssetSerializer,
    PersonSerializer,
    SmartMergeResultSerializer,
)

# The path id as the schema names it (drf-spectacular calls every pk "id"): any string; one
# that is not a person id is not found.
PERSON_ID = OpenApiParameter("id", str, OpenApiParameter.PATH, description="person id")


class PeoplePagination(KeysetPagination):
    ordering_fields = ("face_count", "name", "created")
    default_ordering = "-face_count"
    # `face_count` orders by the faces the caller sees: the stored count (all faces) would show
    # through the order and the cursor how often someone appears in photos the caller cannot see.
    sort_keys = {"face_count": "visible_faces"}

    def _ordering(self, request):
        field, descending = super()._ordering(request)
        return self.sort_keys.get(field, field), descending


DETAIL = (
    "A person; PATCH name, hidden or cover_face (one of their faces); DELETE leaves the faces unassigned."
)


@extend_schema_view(
    retrieve=extend_schema(parameters=[PERSON_ID], description=DETAIL),
    partial_update=extend_schema(parameters=[PERSON_ID], description=DETAIL),
    destroy=extend_schema(parameters=[PERSON_ID], description=DETAIL),
)
class PersonViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """People the caller sees, biggest first; hidden ones only with `hidden` or `include_hidden`."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    pagination_class = PeoplePagination
    lookup_value_regex = "[^/]+"  # any string: one that is not a person id is simply not found
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]  # no PUT
    action_permissions = {"merge": Action.DELETE, "refresh_centroid": Action.VIEW}

    def get_queryset(self):
        return super().get_queryset().as_seen_by(self.request.user)

    def partial_update(self, request, *args, **kwargs):
        person = self.get_object()
        body = self.get_serializer(person, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        people_services.update_person(request.user, person, body.validated_data)
        return self._answer(person)

    def perform_destroy(self, instance):
        people_services.delete_person(self.request.user, instance)

    def _answer(self, person: Person) -> Response:
        """The person as the caller sees them now (counts and cover read again)."""
        return Response(self.get_serializer(self.get_queryset().get(pk=person.pk)).data)

    @extend_schema(parameters=[PERSON_ID], request=MergeIntoSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge this person into `into`: faces and rejections move, `into` stays (with its name)."""
        source = self.get_object()
        body = MergeIntoSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        [target] = people_services.people_by_ids(request.user, [body.validated_data["into"]], "into")
        return self._answer(people_services.merge_people(request.user, [source], target))

    @extend_schema(
        request=BatchMergeSerializer, responses=PersonSerializer, operation_id="people_merge_batch"
    )
    def merge_many(self, request):
        """Merge several people into one (`into`)."""
        body = BatchMergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sources = people_services.people_by_ids(request.user, body.validated_data["people"], "people")
        [target] = people_services.people_by_ids(request.user, [body.validated_data["into"]], "into")
        return self._answer(people_services.merge_people(request.user, sources, target))

    @extend_schema(parameters=[DistanceSerializer], responses=MergeSuggestionSerializer(many=True))
    def suggestions(self, request):
        """Pairs of shown people whose centroids are closer than `max_distance`, closest first."""
        query = DistanceSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        pairs = people_services.merge_suggestions(request.user, query.validated_data.get("max_distance"))
        rows = [{"person": a, "other": b, "distance": d} for a, b, d in sorted(pairs, key=lambda p: p[2])]
        return Response(MergeSuggestionSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(request=DistanceSerializer, responses=SmartMergeResultSerializer)
    def smart_merge(self, request):
        """Merge every suggested pair into the one to keep (a named person, else the bigger); two
        named people are never merged automatically, and pairs with faces the caller cannot see
        are skipped."""
        body = DistanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = people_services.smart_merge(request.user, body.validated_data.get("max_distance"))
        return Response(SmartMergeResultSerializer(report).data)

    @extend_schema(parameters=[PERSON_ID], request=None, responses=PersonSerializer)
    @action(detail=True, methods=["post"], url_path="refresh-centroid", url_name="refresh-centroid")
    def refresh_centroid(self, request, pk=None):
        """Recompute the person's face count and centroid from their faces."""
        person = self.get_object()
        refresh_people([person.pk])
        return self._answer(person)

    @extend_schema(parameters=[PERSON_ID, SIZE_PARAMETER], responses=JPEG)
    @action(detail=True, url_path="thumbnail", url_name="thumbnail")
    def thumbnail(self, request, pk=None):
        """The cover face crop, or the person's best face the caller can see."""
        person = self.get_object()
        size = thumbnail_size(request.query_params.get("size"))
        face = people_services.thumbnail_face(person)
        if face is None:
            raise NotFound(_("this person has no face you can see"))
        return jpeg_response(face, size)


@extend_schema_view(get=extend_schema(parameters=[PERSON_ID]))
class PersonAssetsView(RestrictedViewSetMixin, generics.ListAPIView):
    """Assets showing the person: the rows, filters and paging of the asset list (`/api/assets/`),
    narrowed by a semi-join on the person's faces."""

    queryset = Asset.objects.alive()
    serializer_class = PersonAssetSerializer
    filterset_class = AssetFilter
    pagination_class = TimelinePagination

    def get_queryset(self):
        assets = super().get_queryset()  # the assets the caller sees
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no person
            return assets
        user = self.request.user
        person = generics.get_object_or_404(Person.objects.visible_to(user), pk=self.kwargs["pk"])
        return with_user_state(assets.filter(shows_person(person.pk)), user)  # the caller's flags, one join
