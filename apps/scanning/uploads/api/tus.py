"""A small tus 1.0.0 server (https://tus.io/protocols/resumable-upload): core, creation, termination,
checksum and expiration. No maintained Django one exists (django-tus's last release is from 2020).

    OPTIONS tus/        what this server offers
    POST    tus/        creation: Upload-Length and Upload-Metadata (filename, filetype) -> 201 Location
    HEAD    tus/{id}/   Upload-Offset: where to resume
    PATCH   tus/{id}/   application/offset+octet-stream at Upload-Offset (optional Upload-Checksum)
    DELETE  tus/{id}/   termination
    GET     tus/{id}/   MediaHub's addition: the upload as JSON, with "created"/"duplicate" and the asset

Browsers authenticate with their session and the CSRF header, scripts with an API token. The last
PATCH answers 204 as tus requires; its outcome rides in MediaHub-Upload-Status/-Asset headers.
"""

import base64
import binascii

from django.conf import settings
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.core.api.viewsets import RestrictedViewSet
from apps.core.errors import BadInput, UnsupportedType
from apps.scanning.models import Upload
from apps.scanning.uploads import body, receive, services

from .serializers import UploadSerializer
from .views import LIMIT_RESPONSES

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination,checksum,expiration"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"


class UnsupportedVersion(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = f"this server speaks tus {TUS_VERSION} (send Tus-Resumable: {TUS_VERSION})"


def _header(name: str, description: str, required=False, kind=OpenApiTypes.STR) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.HEADER, required=required, description=description)


TUS_RESUMABLE = _header("Tus-Resumable", f"Always {TUS_VERSION}", required=True)
TUS_ANSWERS = {412: OpenApiResponse(description="Tus-Resumable missing or not 1.0.0")}


def parse_metadata(header: str) -> dict:
    """tus Upload-Metadata: 'key base64value,key2 base64value2' (a value may be absent)."""
    metadata = {}
    for pair in filter(None, (p.strip() for p in (header or "").split(","))):
        key, _space, encoded = pair.partition(" ")
        try:
            metadata[key] = base64.b64decode(encoded.strip(), validate=True).decode("utf-8") if encoded else ""
        except (binascii.Error, ValueError):
            raise BadInput(_("Upload-Metadata '%(key)s' is not base64 of UTF-8 text")
                           % {"key": key}, field="Upload-Metadata") from None
    return metadata


def header_int(request, name: str) -> int:
    value = request.headers.get(name, "")
    if not value.isascii() or not value.isdigit():
        raise BadInput(_("%(name)s must be a non-negative integer") % {"name": name}, field=name)
    return int(value)


class TusViewSet(RestrictedViewSet):
    queryset = Upload.objects.all()
    serializer_class = UploadSerializer
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    filter_backends = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # GET is MediaHub's JSON view of an upload, not tus: a plain fetch may ask for it.
        if request.method not in ("OPTIONS", "GET") and request.headers.get("Tus-Resumable") != TUS_VERSION:
            raise UnsupportedVersion()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Tus-Resumable"] = TUS_VERSION
        if response.status_code == status.HTTP_412_PRECONDITION_FAILED:
            response["Tus-Version"] = TUS_VERSION
        return response

    def get_object(self):
        try:
            return super().get_object()
        except exceptions.ValidationError:  # a malformed id is just an upload that does not exist
            raise exceptions.NotFound() from None

    def _expires(self, upload) -> str:
        return http_date(upload.updated.timestamp() + settings.MEDIAHUB_UPLOAD_EXPIRY)

    def _progress_headers(self, upload, offset: int) -> dict:
        headers = {"Upload-Offset": str(offset), "Upload-Length": str(upload.length), "Cache-Control": "no-store"}
        if upload.state == Upload.State.DONE:
            headers["MediaHub-Upload-Status"] = str(upload.outcome)
            headers["MediaHub-Asset"] = str(upload.asset_id or "")
        else:
            headers["Upload-Expires"] = self._expires(upload)
        return headers

    @extend_schema(request=None, responses={204: None}, summary="tus discovery")
    def discover(self, request):
        return Response(status=status.HTTP_204_NO_CONTENT, headers={
            "Tus-Version": TUS_VERSION,
            "Tus-Extension": TUS_EXTENSIONS,
            "Tus-Max-Size": str(settings.MEDIAHUB_UPLOAD_MAX_BYTES),
            "Tus-Checksum-Algorithm": ",".join(receive.CHECKSUM_ALGORITHMS),
        })

    @extend_schema(
        request=None,
        parameters=[
            TUS_RESUMABLE,
            _header("Upload-Length", "Size of the whole file in bytes", required=True, kind=OpenApiTypes.INT),
            _header("Upload-Metadata", "tus metadata: 'filename <base64>,filetype <base64>'"),
        ],
        responses={201: None, **TUS_ANSWERS, **LIMIT_RESPONSES},
        summary="tus creation: start a resumable upload",
    )
    def create(self, request):
        length = header_int(request, "Upload-Length")
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        upload = services.start(request.user, metadata.get("filename") or metadata.get("name", ""), length, metadata)
        location = request.build_absolute_uri(reverse("tus-upload-detail", args=[upload.pk]))
        return Response(status=status.HTTP_201_CREATED, headers={
            "Location": location, "Upload-Offset": "0", "Upload-Expires": self._expires(upload),
        })

    @extend_schema(responses={200: UploadSerializer}, summary="An upload as JSON: where it stands, its outcome")
    def retrieve(self, request, pk=None):
        upload = self.get_object()
        services.received(upload)  # finishes an upload a crash left complete but unfinished
        upload.refresh_from_db()
        return Response(UploadSerializer(upload).data)

    @extend_schema(parameters=[TUS_RESUMABLE], responses={200: None, **TUS_ANSWERS}, summary="tus: the offset to resume at")
    def offset(self, request, pk=None):
        upload = self.get_object()
        try:
            offset = services.received(upload)
        except UnsupportedType:
            raise exceptions.NotFound() from None  # it was refused and removed
        upload.refresh_from_db()
        return Response(status=status.HTTP_200_OK, headers=self._progress_headers(upload, offset))

    @extend_schema(
        request={OFFSET_CONTENT_TYPE: OpenApiTypes.BINARY},
        parameters=[
            TUS_RESUMABLE,
            _header("Upload-Offset", "Where these bytes go: the offset HEAD gave", required=True, kind=OpenApiTypes.INT),
            _header("Upload-Checksum", "'sha1 <base64 digest of this request's body>' (also sha256, sha512, md5)"),
        ],
        responses={
            204: None,
            409: OpenApiResponse(description="Upload-Offset is not where the upload stands, or it is complete"),
            460: OpenApiResponse(description="The body does not match Upload-Checksum; nothing was stored"),
            **TUS_ANSWERS,
            **LIMIT_RESPONSES,
        },
        summary="tus: append bytes",
    )
    def append(self, request, pk=None):
        upload = self.get_object()
        if request.content_type.split(";")[0].strip() != OFFSET_CONTENT_TYPE:
            raise UnsupportedType(_("PATCH bodies must be %(OFFSET_CONTENT_TYPE)s")
                                  % {"OFFSET_CONTENT_TYPE": OFFSET_CONTENT_TYPE})
        offset = header_int(request, "Upload-Offset")
        checksum = receive.Checksum.parse(request.headers.get("Upload-Checksum"))
        count = header_int(request, "Content-Length") if request.headers.get("Content-Length") else 0
        chunks = body.chunks(request._request, count, request.stream) if count else iter(())
        services.receive_chunk(upload, offset, chunks, count, checksum)
        return Response(status=status.HTTP_204_NO_CONTENT, headers=self._progress_headers(upload, upload.offset))

    @extend_schema(parameters=[TUS_RESUMABLE], responses={204: None, **TUS_ANSWERS}, summary="tus termination")
    def terminate(self, request, pk=None):
        services.cancel(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


collection = TusViewSet.as_view({"post": "create", "options": "discover"})
detail = TusViewSet.as_view({"get": "retrieve", "head": "offset", "patch": "append", "delete": "terminate"})
