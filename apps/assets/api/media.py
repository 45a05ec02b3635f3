"""Media endpoints: thumbnail, preview, original download, playable video, audio.

Thin: the asset comes through visible_to (unknown and invisible ids are the same 404),
`derivatives.serving` picks or makes the file, `apps.core.file_responses` answers with validators,
304s and byte ranges.
"""

from pathlib import PurePosixPath

from django.db.models import Q
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.settings import api_settings

from apps.accounts.signed_urls import SignedMediaAuthentication
from apps.assets import trash
from apps.assets.derivatives import serving
from apps.assets.derivatives.storage import Derivative
from apps.assets.models import Asset
from apps.core.api.binary import FirstRendererNegotiation
from apps.assets.stacks import services as stacks
from apps.core.api.viewsets import RestrictedViewSet
from apps.core.querysets import Action

from apps.core.file_responses import file_response

IMMUTABLE = "private, max-age=31536000, immutable"
# Without the current `?v=` the browser keeps its copy but asks again (a cheap 304) each time,
# so a rotated or re-made rendition shows up at once.
REVALIDATE = "private, no-cache"

VERSION_PARAMETER = OpenApiParameter(
    "v",
    str,
    description="The asset's media version as the UI puts it in URLs; with it, responses are immutable",
)
NOT_FOUND = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Unknown or invisible asset, or no such rendition yet"
)
NOT_MODIFIED = OpenApiResponse(description="Not modified (If-None-Match / If-Modified-Since)")


def _binary(*content_types: str, ranges: bool = False) -> dict:
    responses = {(200, content_type): OpenApiTypes.BINARY for content_type in content_types}
    if ranges:
        responses.update({(206, content_type): OpenApiTypes.BINARY for content_type in content_types})
        responses[416] = OpenApiResponse(description="Range not satisfiable")
    return {**responses, 304: NOT_MODIFIED, 404: NOT_FOUND}


class SignedMediaScheme(OpenApiAuthenticationExtension):
    """Documents `?sig=` (apps.accounts.signed_urls) for the schema; the media routes are its only users."""

    target_class = "apps.accounts.signed_urls.SignedMediaAuthentication"
    name = "signedMediaUrl"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "query", "name": "sig"}


class AssetMediaViewSet(RestrictedViewSet):
    queryset = Asset.objects.all()
    lookup_value_converter = "uuid"  # routed with path converters, as `assets/<uuid:pk>/thumbnail`
    # An album shared with the caller may show its photos but withhold their originals.
    action_permissions = {"original": Action.DOWNLOAD, "developed": Action.DOWNLOAD}
    # `?sig=` links work in <img>/<video> without a session (shared pages, other clients).
    authentication_classes = (SignedMediaAuthentication, *api_settings.DEFAULT_AUTHENTICATION_CLASSES)
    content_negotiation_class = FirstRendererNegotiation
    pagination_class = None
    filter_backends = ()

    def get_queryset(self):
        # Trashed assets still show to who may restore them (the Trash page, the detail view's Restore).
        assets = super().get_queryset().select_related("library")
        if getattr(self, "swagger_fake_view", False):
            return assets
        restorable = trash.trash_of(self.request.user).values("pk")
        return assets.filter(Q(deleted_at__isnull=True) | Q(pk__in=restorable))

    def _respond(self, request, get_file, *, download: bool | str = False, ranges: bool = False):
        asset = self.get_object()
        try:
            media = get_file(asset)
        except serving.MediaUnavailable as exc:
            raise NotFound(str(exc)) from exc
        current = request.query_params.get("v") == serving.version(asset)
        return file_response(
            request,
            media.path,
            content_type=media.content_type,
            etag_key=f"{asset.pk}:{asset.content_hash}:{media.kind}",
            cache_control=IMMUTABLE if current else REVALIDATE,
            download_name=(download if isinstance(download, str) else asset.filename) if download else None,
            ranges=ranges,
        )

    @extend_schema(parameters=[VERSION_PARAMETER], responses=_binary("image/webp"))
    @action(detail=True)
    def thumbnail(self, request, pk=None):
        """Grid thumbnail (WebP, about 256 px), upright and sRGB."""
        return self._respond(request, lambda asset: serving.image(asset, Derivative.THUMBNAIL))

    @extend_schema(parameters=[VERSION_PARAMETER], responses=_binary("image/jpeg", "image/webp"))
    @action(detail=True)
    def preview(self, request, pk=None):
        """Large preview (about 1600 px long edge), upright and sRGB; a video's poster frame."""
        return self._respond(request, lambda asset: serving.image(asset, Derivative.PREVIEW))

    @extend_schema(parameters=[VERSION_PARAMETER], responses=_binary("application/octet-stream", ranges=True))
    @action(detail=True)
    def original(self, request, pk=None):
        """The original file as a download (Content-Disposition with its name); byte ranges resume it."""
        return self._respond(request, serving.original, download=True, ranges=True)

    @extend_schema(parameters=[VERSION_PARAMETER], responses=_binary("video/mp4", "video/webm", ranges=True))
    @action(detail=True)
    def video(self, request, pk=None):
        """Browser-playable video with byte ranges: the H.264/AAC transcode, or the original when it plays as is."""
        return self._respond(request, serving.playable_video, ranges=True)

    @extend_schema(
        operation_id="assets_audio_retrieve",
        parameters=[VERSION_PARAMETER],
        responses=_binary("audio/mpeg", ranges=True),
    )
    @action(detail=True, url_path="audio.mp3")
    def audio(self, request, pk=None):
        """The sound as MP3 (extracted once from videos and other audio formats, then kept)."""
        return self._respond(request, serving.audio, ranges=True)

    @extend_schema(parameters=[VERSION_PARAMETER], responses=_binary("video/mp4", "video/webm", ranges=True))
    @action(detail=True)
    def motion(self, request, pk=None):
        """A live photo's motion: the clip a motion photo embeds, or the video paired with the still
        (only when the caller sees that video too)."""

        def clip(asset):
            return serving.motion(asset, stacks.live_partner(asset, request.user))

        return self._respond(request, clip, ranges=True)

    @extend_schema(parameters=[VERSION_PARAMETER], responses=_binary("image/jpeg"))
    @action(detail=True)
    def developed(self, request, pk=None):
        """A JPEG developed from a RAW original (made once, then kept), as a download."""
        name = f"{PurePosixPath(self.get_object().filename).stem}.jpg"
        return self._respond(request, serving.developed, download=name)
