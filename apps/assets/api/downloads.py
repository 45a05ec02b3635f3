"""ZIP downloads and export copies: a selection, a folder (with its subfolders), one photo or a
selection exported as JPEG/PNG/WebP/AVIF. All need the right to download (Action.DOWNLOAD).

Thin: serializers check the input, apps/assets/downloads.py and apps/assets/exports.py do the work.
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.views import APIView

from apps.assets import downloads, exports
from apps.assets.models import Asset
from apps.core.api.binary import ERROR, LEFT_OUT, FirstRendererNegotiation, zip_responses
from apps.core.api.viewsets import RestrictedViewSet
from apps.core.errors import BadInput
from apps.core.file_responses import content_disposition
from apps.core.validators import plain_id
from apps.core.querysets import Action


class IdsSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=downloads.MAX_FILES)


class ExportOptionsSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=list(exports.FORMATS), default="jpeg")
    max_size = serializers.IntegerField(
        min_value=exports.MIN_SIZE, max_value=exports.MAX_SIZE, required=False, allow_null=True,
        help_text="Longest edge in pixels (never enlarged); default the photo's own size",
    )
    quality = serializers.IntegerField(min_value=1, max_value=100, default=exports.DEFAULT_QUALITY,
                                       help_text="Ignored by PNG, which is lossless")
    strip = serializers.ChoiceField(
        choices=list(exports.STRIP), default="none",
        help_text="`location`: drop the GPS tags; `all`: no metadata at all; `none`: keep the EXIF",
    )

    def options(self) -> exports.ExportOptions:
        self.is_valid(raise_exception=True)
        names = ("format", "max_size", "quality", "strip")  # a batch's body has its ids besides
        given = self.validated_data
        return exports.ExportOptions(**{name: given[name] for name in names if name in given})


class ExportBatchSerializer(IdsSerializer, ExportOptionsSerializer):
    pass


class SelectionDownloadView(APIView):
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        operation_id="assets_download_create", request=IdsSerializer, parameters=[LEFT_OUT],
        responses=zip_responses("The originals, streamed; Content-Length is known up front"),
    )
    def post(self, request):
        """The originals of a selection as one ZIP; file names kept and made unique (`IMG_1 (2).jpg`)."""
        body = IdsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return downloads.selection_zip(request.user, body.validated_data["ids"])


class ExportBatchView(APIView):
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        operation_id="assets_export_batch_create", request=ExportBatchSerializer, parameters=[LEFT_OUT],
        responses=zip_responses("Export copies, each made while the ZIP is sent"),
    )
    def post(self, request):
        """A ZIP of export copies of a selection (videos and other non-photos are left out)."""
        body = ExportBatchSerializer(data=request.data)
        options = body.options()
        ids = body.validated_data["ids"]
        return exports.export_zip(request.user, ids, options)


class FolderDownloadView(APIView):
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        operation_id="folders_download_retrieve",
        parameters=[
            OpenApiParameter("library", OpenApiTypes.INT, required=True),
            OpenApiParameter("path", OpenApiTypes.STR, description="Relative to the library root; default the root"),
        ],
        responses=zip_responses("The folder's files and its subfolders', paths relative to it"),
    )
    def get(self, request):
        """A folder of a library, with its subfolders, as one ZIP."""
        library = plain_id(request.query_params.get("library", ""))
        if library is None:
            raise BadInput(_("a library id"), field="library")
        return downloads.folder_zip(request.user, library, request.query_params.get("path"))


def _image_responses() -> dict:
    images = {(200, content_type): OpenApiTypes.BINARY for _, content_type, _ in exports.FORMATS.values()}
    return {**images, 400: ERROR, 403: ERROR, 404: ERROR}


class AssetExportViewSet(RestrictedViewSet):
    queryset = Asset.objects.all()
    action_permissions = {"export": Action.DOWNLOAD}
    content_negotiation_class = FirstRendererNegotiation
    pagination_class = None
    filter_backends = ()

    def get_queryset(self):
        return super().get_queryset().alive().select_related("library")

    @extend_schema(methods=["GET"], parameters=[ExportOptionsSerializer], responses=_image_responses())
    @extend_schema(methods=["POST"], request=ExportOptionsSerializer, responses=_image_responses())
    @action(detail=True, methods=["get", "post"])
    def export(self, request, pk=None):
        """An export copy of one photo: format, longest edge, quality, metadata kept or stripped.
        The options come as the query (GET) or the body (POST); a video answers 400."""
        asset = self.get_object()
        source = request.query_params if request.method == "GET" else request.data
        options = ExportOptionsSerializer(data=source).options()
        exported = exports.export(asset, options)
        response = HttpResponse(exported.data, content_type=exported.content_type)
        response["Content-Disposition"] = content_disposition(exported.name)
        return response
