"""File operations in writable libraries (apps/scanning/fileops): thin, the service decides who
may, plans, and runs the operation now (200; 201 for a new folder) or as one job (202) whose
progress GET /api/file-operations/{id}/ answers."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.viewsets import RestrictedViewSet
from apps.core.pagination import KeysetPagination
from apps.scanning.fileops import services
from apps.scanning.models import FileOperation

from .fileops_serializers import (
    FileOperationSerializer,
    FolderFlattenSerializer,
    FolderMakeSerializer,
    FilesMoveSerializer,
    FileRenameSerializer,
    FilesSourcesSerializer,
)

REFUSALS = {
    400: OpenApiResponse(description="A path outside the library, a hidden name, a folder moved into itself"),
    403: OpenApiResponse(description="The library is seen but its files are not the caller's to change"),
    404: OpenApiResponse(description="No such library (or not seen), file or folder"),
    409: OpenApiResponse(description="A name that exists, a read-only library, another operation under way"),
}


def _answer(operation: FileOperation, created: bool = False) -> Response:
    if operation.state in (FileOperation.State.QUEUED, FileOperation.State.RUNNING):
        code = status.HTTP_202_ACCEPTED
    else:
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return Response(FileOperationSerializer(operation).data, status=code)


def _schema(request, created=False):
    if created:
        ok = {201: FileOperationSerializer}
    else:
        ok = {200: FileOperationSerializer, 202: FileOperationSerializer}
    return extend_schema(request=request, responses={**ok, **REFUSALS})


class FileOperationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    """File operations of the libraries whose files the caller may change: what each did, or how
    far a running one is."""

    serializer_class = FileOperationSerializer
    queryset = FileOperation.objects.all()
    filterset_fields = ["library", "state", "kind"]
    pagination_class = KeysetPagination

    def _data(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @_schema(FolderMakeSerializer, created=True)
    @action(detail=False, methods=["post"])
    def folder(self, request):
        """Make a folder (its parent must exist)."""
        data = self._data(FolderMakeSerializer)
        return _answer(services.make_folder(request.user, data["library"], data["path"]), created=True)

    @_schema(FileRenameSerializer)
    @action(detail=False, methods=["post"])
    def rename(self, request):
        """Rename a file or folder in place; its photos keep their ids, albums, faces and ratings."""
        data = self._data(FileRenameSerializer)
        return _answer(services.rename(request.user, data["library"], data["path"], data["name"]))

    @_schema(FilesMoveSerializer)
    @action(detail=False, methods=["post"])
    def move(self, request):
        """Move files and folders (by path or asset id) into a folder of the same library."""
        data = self._data(FilesMoveSerializer)
        return _answer(services.move(request.user, data["library"], data["destination"],
                                     data.get("paths"), data.get("assets")))

    @_schema(FilesMoveSerializer)
    @action(detail=False, methods=["post"])
    def copy(self, request):
        """Copy files and folders into a folder: each copy is a new asset with the same content hash."""
        data = self._data(FilesMoveSerializer)
        return _answer(services.copy(request.user, data["library"], data["destination"],
                                     data.get("paths"), data.get("assets")))

    @_schema(FolderFlattenSerializer)
    @action(detail=False, methods=["post"])
    def flatten(self, request):
        """Move every file of a folder's subfolders into the folder itself; a name taken gets ' (1)'."""
        data = self._data(FolderFlattenSerializer)
        return _answer(services.flatten(request.user, data["library"], data["path"]))

    @_schema(FilesSourcesSerializer)
    # Not a method named delete: DRF would answer an HTTP DELETE of the list with it.
    @action(detail=False, methods=["post"], url_path="delete", url_name="delete")
    def trash(self, request):
        """Move the photos of these files and folders to the trash."""
        data = self._data(FilesSourcesSerializer)
        return _answer(services.delete(request.user, data["library"], data.get("paths"), data.get("assets")))
