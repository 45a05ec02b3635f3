"""Tags API on the base viewset: every tag comes through `Tag.objects.visible_to(user)` (404 when
not seen) and is checked for the action its route needs (403: a file keyword is the superadmin's
to change, and the route says so).

    GET    /api/tags/                 the caller's tags and the file keywords on photos they see
    POST   /api/tags/                 a new tag of the caller's
    PATCH  /api/tags/{id}/            rename (with its children) or recolour; 409 on a taken name
    DELETE /api/tags/{id}/            with its children, off every photo
    POST   /api/tags/{id}/merge/      into another tag
    POST   /api/tags/add/, /remove/   on a selection of photos
    GET    /api/assets/{id}/tags/     one photo's tags
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from apps.assets.models import Asset
from apps.core.api.viewsets import RestrictedViewSet, RestrictedViewSetMixin
from apps.core.querysets import Action, get_visible

from .. import services
from ..models import Tag
from .serializers import (
    AddedSerializer,
    MergeSerializer,
    RemovedSerializer,
    TaggingSerializer,
    TagSerializer,
    TagUpdateSerializer,
)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class TagViewSet(RestrictedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Tags, with counts and a cover over the photos the caller can see now. `search=` narrows to
    paths containing the words (autocomplete)."""

    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    pagination_class = None  # a user's tags: a tree, read whole
    action_permissions = {"partial_update": Action.CHANGE, "merge": Action.CHANGE,
                          "add": Action.VIEW, "remove": Action.VIEW}

    def get_queryset(self):
        tags = super().get_queryset().select_related("owner")
        search = self.request.query_params.get("search", "").strip()
        if search:
            tags = tags.filter(key__contains=search.casefold())
        return services.with_counts(tags, self.request.user)

    @extend_schema(parameters=[OpenApiParameter("search", str, description="Part of the path")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=TagSerializer, responses={201: TagSerializer})
    def create(self, request):
        body = _valid(TagSerializer, request)
        tag = services.create_tag(request.user, body["path"], body.get("colour", ""))
        return Response(self._fresh(tag), status=status.HTTP_201_CREATED)

    @extend_schema(request=TagUpdateSerializer, responses=TagSerializer)
    def partial_update(self, request, pk=None):
        body = _valid(TagUpdateSerializer, request)
        tag = services.update_tag(request.user, self.get_object(), **body)
        return Response(self._fresh(tag))

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        services.delete_tag(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MergeSerializer, responses=TagSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """This tag into `into`: its photos get `into`, its children move under it, it is gone."""
        into = _valid(MergeSerializer, request)["into"]
        source = self.get_object()
        target = get_visible(Tag.objects, request.user, Action.CHANGE, pk=into)
        return Response(self._fresh(services.merge(request.user, source, target)))

    @extend_schema(request=TaggingSerializer, responses=AddedSerializer)
    @action(detail=False, methods=["post"])
    def add(self, request):
        """Put tags on photos the caller can see (at most 10,000): the caller's own tags, made when missing."""
        body = _valid(TaggingSerializer, request)
        result = services.add_tags(request.user, body["assets"], body["tags"], body.get("colour", ""))
        result["tags"] = [self._fresh(tag) for tag in result["tags"]]
        return Response(result)

    @extend_schema(request=TaggingSerializer, responses=RemovedSerializer)
    @action(detail=False, methods=["post"])
    def remove(self, request):
        """Take tags (by path) off photos: the caller's own from any photo they see, a file keyword
        from the photos of their own libraries."""
        body = _valid(TaggingSerializer, request)
        return Response(services.remove_tags(request.user, body["assets"], body["tags"]))

    def _fresh(self, tag):
        tag = services.with_counts(Tag.objects.filter(pk=tag.pk), self.request.user).get()
        return TagSerializer(tag, context=self.get_serializer_context()).data


class AssetTagsView(RestrictedViewSetMixin, ListAPIView):
    """The tags on one photo that the caller sees: their own and the file's keywords."""

    queryset = Asset.objects.all()
    serializer_class = TagSerializer
    pagination_class = None

    def list(self, request, *args, **kwargs):
        asset = self.get_object()
        tags = services.with_counts(Tag.objects.filter(pk__in=[t.pk for t in services.tags_of(request.user, asset)]),
                                    request.user).order_by("key")
        return Response(TagSerializer(tags, many=True, context=self.get_serializer_context()).data)
