"""Albums API on the base viewset: every album comes through `Album.objects.visible_to(user)` (404
when not seen) and is checked for the action its route needs (403 when seen but not allowed):

    view     GET album, items, members                      owner, members
    change   add items, remove items (contributors: their own)   owner, contributors
    manage   edit, move items, members, links, freeze        owner
    delete   DELETE album                                    owner
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from apps.albums import services
from apps.albums.filters import AlbumFilter
from apps.albums.models import Album, AlbumItem, AlbumMember, ShareLink
from apps.albums.services import smart
from apps.core.api.viewsets import RestrictedModelViewSet, RestrictedViewSet
from apps.core.pagination import KeysetPagination, page_size_from
from apps.core.querysets import Action

from .serializers import (
    AlbumItemSerializer,
    AlbumSerializer,
    AssetIdsSerializer,
    ItemResultSerializer,
    LinkOptionsSerializer,
    MemberAddSerializer,
    MemberSerializer,
    MovedSerializer,
    MoveSerializer,
    RoleSerializer,
    ShareLinkSerializer,
)

PAGE_SIZE, MAX_PAGE_SIZE = 100, 500


class AlbumPagination(KeysetPagination):
    ordering_fields = ("created", "updated", "title")
    default_ordering = "-created"


class AlbumViewSet(RestrictedModelViewSet):
    """Albums the caller owns or that are shared with them. `shared=true` lists only the latter,
    `shared=false` only their own; `asset=` the albums holding that asset."""

    queryset = Album.objects.all()
    serializer_class = AlbumSerializer
    filterset_class = AlbumFilter
    pagination_class = AlbumPagination
    action_permissions = {
        "update": Action.MANAGE,
        "partial_update": Action.MANAGE,
        "add_items": Action.CHANGE,
        "remove_items": Action.CHANGE,
        "reorder": Action.MANAGE,
        "add_member": Action.MANAGE,
        "member": Action.MANAGE,
        "remove_member": Action.VIEW,  # a member may leave; the service asks for more otherwise
        "links": Action.MANAGE,
        "add_link": Action.MANAGE,
        "freeze": Action.MANAGE,
    }

    def get_queryset(self):
        return super().get_queryset().with_covers(self.request.user).select_related("owner")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["live_counts"] = getattr(self, "live_counts", {})
        return context

    def list(self, request, *args, **kwargs):
        albums = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # Smart albums are counted for the caller, each a search of its own: few per page.
        self.live_counts = {a.pk: smart.live_count(a, request.user) for a in albums if a.is_smart}
        return self.get_paginated_response(self.get_serializer(albums, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        album = self.get_object()
        if album.is_smart:
            self.live_counts = {album.pk: smart.live_count(album, request.user)}
        return Response(self.get_serializer(album).data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.create_album(
            self.request.user,
            data["title"],
            data.get("description", ""),
            query=data.get("query"),
            sort=data.get("sort", Album.Sort.MANUAL),
            allow_download=data.get("allow_download", True),
        )

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        album = (
            Album.objects.filter(pk=response.data["id"])
            .with_covers(request.user)
            .select_related("owner")
            .get()
        )
        if album.is_smart:
            self.live_counts = {album.pk: smart.live_count(album, request.user)}
        return Response(self.get_serializer(album).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        services.update_album(self.request.user, serializer.instance, **serializer.validated_data)

    def update(self, request, *args, **kwargs):
        super().update(request, *args, **kwargs)
        return self.retrieve(request, *args, **kwargs)

    def perform_destroy(self, album):
        services.delete_album(self.request.user, album)

    # Items ------------------------------------------------------------------------------------

    @extend_schema(
        responses=AlbumItemSerializer(many=True),
        parameters=[
            OpenApiParameter("cursor", str, description="From the previous page's `next`"),
            OpenApiParameter("page_size", int, description=f"1-{MAX_PAGE_SIZE}, default {PAGE_SIZE}"),
        ],
    )
    @action(detail=True, methods=["get"])
    def items(self, request, pk=None):
        """The album's items not in the trash, in the album's order (a smart album: its search, run
        for the caller). Keyset pages: the same cost at any depth."""
        album = self.get_object()
        size = page_size_from(request, PAGE_SIZE, MAX_PAGE_SIZE)
        try:
            if album.is_smart:
                page = smart.page(album, request.user, request.query_params.get("cursor"), size)
            else:
                page = services.items_page(
                    album,
                    request.query_params.get("cursor"),
                    size,
                    AlbumItem.objects.select_related("added_by"),
                )
        except ValueError as exc:
            raise ValidationError({"cursor": str(exc)}) from None
        following = page.next_cursor and replace_query_param(
            request.build_absolute_uri(), "cursor", page.next_cursor
        )
        return Response(
            {"next": following or None, "results": AlbumItemSerializer(page.items, many=True).data}
        )

    @extend_schema(request=AssetIdsSerializer, responses=ItemResultSerializer(many=True))
    @items.mapping.post
    def add_items(self, request, pk=None):
        """Add assets (at most 10,000); each answers for itself: 201 added, 200 already there, 404."""
        ids = _valid(AssetIdsSerializer, request)["assets"]
        results = services.add_items(request.user, self.get_object(), ids)
        return Response(ItemResultSerializer(results, many=True).data)

    @extend_schema(request=AssetIdsSerializer, responses=ItemResultSerializer(many=True))
    @items.mapping.delete
    def remove_items(self, request, pk=None):
        """Take assets out (the photos stay); each answers 204, 403 (added by someone else) or 404."""
        ids = _valid(AssetIdsSerializer, request)["assets"]
        results = services.remove_items(request.user, self.get_object(), ids)
        return Response(ItemResultSerializer(results, many=True).data)

    @extend_schema(request=MoveSerializer, responses=MovedSerializer)
    @action(detail=True, methods=["post"], url_path="items/reorder")
    def reorder(self, request, pk=None):
        """Move one item right after another (`after`), or first; writes that one item."""
        body = _valid(MoveSerializer, request)
        item = services.move_item(request.user, self.get_object(), body["asset"], body["after"])
        return Response(MovedSerializer(item).data)

    # Members ----------------------------------------------------------------------------------

    @extend_schema(responses=MemberSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def members(self, request, pk=None):
        """Who the album is shared with, and as what."""
        members = AlbumMember.objects.filter(album=self.get_object()).select_related("user")
        return Response(MemberSerializer(members, many=True).data)

    @extend_schema(request=MemberAddSerializer, responses={200: MemberSerializer, 201: MemberSerializer})
    @members.mapping.post
    def add_member(self, request, pk=None):
        """Share with a user (by user name or id) as viewer or contributor; again: change the role."""
        body = _valid(MemberAddSerializer, request)
        member, created = services.add_member(request.user, self.get_object(), body["user"], body["role"])
        return Response(
            MemberSerializer(member).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(request=RoleSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["patch"], url_path=r"members/(?P<user_id>[0-9]+)")
    def member(self, request, pk=None, user_id=None):
        album = self.get_object()
        if not AlbumMember.objects.filter(album=album, user_id=user_id).exists():
            return Response({"detail": "not a member of this album"}, status=status.HTTP_404_NOT_FOUND)
        member, _ = services.add_member(
            request.user, album, int(user_id), _valid(RoleSerializer, request)["role"]
        )
        return Response(MemberSerializer(member).data)

    @extend_schema(request=None, responses={204: None})
    @member.mapping.delete
    def remove_member(self, request, pk=None, user_id=None):
        """Stop sharing with a member; members may remove themselves (leave)."""
        services.remove_member(request.user, self.get_object(), int(user_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    # Links and freezing -----------------------------------------------------------------------

    @extend_schema(responses=ShareLinkSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def links(self, request, pk=None):
        """The album's public links, revoked ones included."""
        links = (
            ShareLink.objects.visible_to(request.user).filter(album=self.get_object()).select_related("album")
        )
        return Response(ShareLinkSerializer(links, many=True, context=self.get_serializer_context()).data)

    @extend_schema(request=LinkOptionsSerializer, responses={201: ShareLinkSerializer})
    @links.mapping.post
    def add_link(self, request, pk=None):
        """A public link to the album."""
        options = _valid(LinkOptionsSerializer, request)
        link = services.create_link(request.user, album=self.get_object(), **options)
        return Response(
            ShareLinkSerializer(link, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=AlbumSerializer)
    @action(detail=True, methods=["post"])
    def freeze(self, request, pk=None):
        """Turn a smart album into a regular one holding what its search shows now."""
        services.freeze(request.user, self.get_object())
        return self.retrieve(request, pk=pk)


class ShareLinkViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    RestrictedViewSet,
):
    """The caller's public links (and those on their albums): list, make one for hand-picked assets
    or an album, change its options, revoke (`revoked: true`) or delete it."""

    queryset = ShareLink.objects.select_related("album")
    serializer_class = ShareLinkSerializer
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        album_id, ids = data.pop("album_id", None), data.pop("assets", None)
        album = None
        if album_id is not None:
            album = Album.objects.visible_to(self.request.user).filter(pk=album_id).first()
            if album is None:
                raise ValidationError({"album": ["not found"]})
        serializer.instance = services.create_link(self.request.user, album=album, asset_ids=ids, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if {"album_id", "assets"} & set(data):
            raise ValidationError({"detail": ["what a link shares cannot change; make a new link"]})
        services.update_link(self.request.user, serializer.instance, **data)


def _valid(serializer_class, request) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data
