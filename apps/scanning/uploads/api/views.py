"""The single-file upload: one multipart POST, the file checked and indexed before the answer."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import BadInput, InsufficientStorage, TooLarge
from apps.scanning.uploads import services, storage

from .serializers import FileUploadSerializer, UploadSerializer

# What a multipart body may carry beyond the file itself (boundaries, part headers, a name).
MULTIPART_OVERHEAD = 64 * 1024

LIMIT_RESPONSES = {
    400: OpenApiResponse(description="No file, or an empty one"),
    413: OpenApiResponse(description="Over MEDIAHUB_UPLOAD_MAX_BYTES or the user's quota (numbers in the message)"),
    415: OpenApiResponse(description="Not a photo, video or audio file (judged from its content)"),
    507: OpenApiResponse(description="The server's disk has no room for it"),
}


def answer(upload, created_status=status.HTTP_201_CREATED) -> Response:
    code = created_status if upload.outcome == upload.Outcome.CREATED else status.HTTP_200_OK
    return Response(UploadSerializer(upload).data, status=code)


class FileUploadView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": FileUploadSerializer},
        responses={201: UploadSerializer, 200: UploadSerializer, **LIMIT_RESPONSES},
        description="Upload one file into your upload library. 201 with the new asset, or 200 with "
        '"status": "duplicate" and the asset of yours that already has the same bytes (BLAKE3).',
    )
    def post(self, request):
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
        limit = settings.MEDIAHUB_UPLOAD_MAX_BYTES
        if announced > limit + MULTIPART_OVERHEAD:
            raise TooLarge(_("the request is %(announced)s bytes; uploads may be at most %(limit)s bytes")
                           % {"announced": format(announced, ','), "limit": format(limit, ',')})
        storage.check_free_space(announced)
        try:
            received = request.data.get("file")
        except OSError as exc:  # Django spools big files to a temporary folder
            if storage.is_disk_full(exc):
                raise InsufficientStorage(_("the server's disk is full")) from exc
            raise
        if received is None or isinstance(received, str):
            raise BadInput(_("send the file in the multipart field 'file'"), field="file")
        try:
            upload = services.ingest_file(request.user, received, received.name, received.size)
        finally:
            received.close()
        return answer(upload)
