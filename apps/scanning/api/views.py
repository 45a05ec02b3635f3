from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import HasRole
from apps.core.api.viewsets import RestrictedModelViewSet, RestrictedViewSet
from apps.core.pagination import KeysetPagination
from apps.core.querysets import Action
from apps.scanning import ignored, roots, services, sharing
from apps.scanning.models import LIBRARY_MANAGER, Library, ScanRun
from apps.scanning.queries import libraries_with_counts

from .serializers import (
    DirectoryListingSerializer,
    IgnoredPathSerializer,
    IncludeAgainSerializer,
    LibraryCreateSerializer,
    LibrarySerializer,
    LibrarySharesSerializer,
    LibraryShareRequestSerializer,
    LibraryUpdateSerializer,
    ScanRunSerializer,
    ScanStartSerializer,
)

# Adding a library and browsing the server's folders act on no library, so no visible_to can
# decide them: they need the managers' role.
MANAGERS = [HasRole(LIBRARY_MANAGER)]


class LibraryViewSet(RestrictedModelViewSet):
    """Libraries: folders of originals indexed in place. Reading is open to those who see them;
    changing them is the managers' (visible_to(user, action) says which)."""

    serializer_class = LibrarySerializer
    queryset = Library.objects.all()
    action_permissions = {
        "pause": Action.MANAGE,
        "resume": Action.MANAGE,
        "scan": Action.MANAGE,
        "shares": Action.MANAGE,
        "share": Action.MANAGE,
        "unshare": Action.MANAGE,
        "ignored": Action.MANAGE,
        "include": Action.MANAGE,
    }
    filterset_fields = ["paused", "read_only"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return libraries_with_counts(super().get_queryset())

    def get_permissions(self):
        if self.action == "create":
            return [permission() for permission in MANAGERS]
        return super().get_permissions()

    def _detail(self, library, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=library.pk)
        return Response(LibrarySerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=LibraryCreateSerializer, responses={201: LibrarySerializer})
    def create(self, request):
        serializer = LibraryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        library = services.add_library(
            serializer.validated_data["path"], request.user, serializer.validated_data.get("name") or None
        )
        return self._detail(library, status.HTTP_201_CREATED)

    @extend_schema(request=LibraryUpdateSerializer, responses=LibrarySerializer)
    def partial_update(self, request, pk=None):
        library = self.get_object()
        serializer = LibraryUpdateSerializer(library, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "name" in serializer.validated_data:
            services.rename_library(library, serializer.validated_data["name"])
        if "paused" in serializer.validated_data:
            services.set_paused(library, serializer.validated_data["paused"])
        if "read_only" in serializer.validated_data:
            services.set_read_only(library, serializer.validated_data["read_only"])
        return self._detail(library)

    def update(self, request, *args, **kwargs):  # PUT is not offered; PATCH renames, pauses, makes writable
        raise self.http_method_not_allowed(request)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Remove the library, its assets and their derivatives. The original files are not touched."""
        services.remove_library(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=LibrarySerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._detail(services.set_paused(self.get_object(), True))

    @extend_schema(request=None, responses=LibrarySerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._detail(services.set_paused(self.get_object(), False))

    @extend_schema(
        request=ScanStartSerializer,
        responses={
            202: ScanRunSerializer,
            409: OpenApiResponse(description="A scan is already queued or running, or the library is paused"),
        },
    )
    @action(detail=True, methods=["post"])
    def scan(self, request, pk=None):
        """Queue a scan; poll /api/scans/{id}/ for its progress."""
        library = self.get_object()
        serializer = ScanStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = services.start_scan(library, full=serializer.validated_data["full"])
        return Response(ScanRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    def _shares(self, library):
        users = library.shared_with.order_by("username")
        data = {"library": library.pk, "shared_with_all": library.shared_with_all, "shared_with": users}
        return Response(LibrarySharesSerializer(data).data)

    @extend_schema(responses=LibrarySharesSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def shares(self, request, pk=None):
        """Who the library is shared with (view only; its owner needs no share)."""
        return self._shares(self.get_object())

    @extend_schema(request=LibraryShareRequestSerializer, responses=LibrarySharesSerializer)
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        """Let these users see the library's photos. Sharing twice changes nothing."""
        library = self.get_object()
        serializer = LibraryShareRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sharing.share_library(library, sharing.users_by_id(serializer.validated_data["users"]))
        return self._shares(library)

    @extend_schema(request=LibraryShareRequestSerializer, responses=LibrarySharesSerializer)
    @action(detail=True, methods=["post"])
    def unshare(self, request, pk=None):
        """Stop sharing the library with these users."""
        library = self.get_object()
        serializer = LibraryShareRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sharing.unshare_library(library, sharing.users_by_id(serializer.validated_data["users"]))
        return self._shares(library)

    @extend_schema(responses=IgnoredPathSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def ignored(self, request, pk=None):
        """Files deleted for good in this read-only library: still in its folder, left out by scans."""
        rows = ignored.of_library(self.get_object())
        return Response(IgnoredPathSerializer(rows, many=True).data)

    @extend_schema(request=IncludeAgainSerializer, responses=IgnoredPathSerializer(many=True))
    @action(detail=True, methods=["post"])
    def include(self, request, pk=None):
        """Include ignored files again: the next scan indexes them. Answers what stays ignored."""
        library = self.get_object()
        serializer = IncludeAgainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ignored.include_again(library, serializer.validated_data["ids"])
        return Response(IgnoredPathSerializer(ignored.of_library(library), many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("path", OpenApiTypes.STR, description="Absolute folder path")],
        responses={
            200: DirectoryListingSerializer,
            400: OpenApiResponse(description="Bad path"),
            403: OpenApiResponse(description="Outside MEDIAHUB_LIBRARY_ROOTS"),
        },
    )
    @action(detail=False, methods=["get"], permission_classes=MANAGERS, filter_backends=[])
    def browse(self, request):
        """List a folder's sub-folders and files, for picking a library root."""
        path = request.query_params.get("path") or settings.MEDIAHUB_LIBRARY_ROOTS[0]
        return Response(DirectoryListingSerializer(roots.browse_directory(path)).data)


class ScanRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    """Scans of the libraries the caller sees: state, counts and errors, for progress polling."""

    serializer_class = ScanRunSerializer
    queryset = ScanRun.objects.all()
    filterset_fields = ["library", "state"]
    pagination_class = KeysetPagination
