"""Views that answer files (media, ZIPs, export copies): the negotiation they need and how their
answers are written in the OpenAPI schema."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.negotiation import BaseContentNegotiation

from apps.core.zipstream import LEFT_OUT_HEADER

ERROR = OpenApiResponse(OpenApiTypes.OBJECT, description="The reason, as `detail` or per field")
NOTHING = OpenApiResponse(OpenApiTypes.OBJECT, description="Nothing here the caller may download")
LEFT_OUT = OpenApiParameter(
    LEFT_OUT_HEADER, OpenApiTypes.INT, location=OpenApiParameter.HEADER, response=[200],
    description="How many of the asked-for files the ZIP does not hold: not visible to the caller, "
    "not downloadable by them (an album without downloads), trashed, or not exportable. Files "
    "missing from their library are named in `LEFT OUT.txt` inside the ZIP.",
)


class FirstRendererNegotiation(BaseContentNegotiation):
    """<img> and <video> send image/video Accept headers, a ZIP download application/zip; errors
    still render as JSON, never 406."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def zip_responses(description: str) -> dict:
    """The responses of a ZIP download: the streamed archive, 400, and 404 for nothing to send."""
    return {(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description=description),
            400: ERROR, 404: NOTHING}
