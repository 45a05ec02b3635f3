from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.reverse import reverse


@extend_schema(exclude=True)
@api_view(["GET"])
def api_root(request, format=None):
    """Entry point of the browsable API."""
    names = {
        "me": "auth-me",
        "tokens": "api-token-list",
        "libraries": "library-list",
        "scans": "scanrun-list",
        "assets": "asset-list",
        "albums": "album-list",
        "links": "sharelink-list",
        "tags": "tag-list",
        "schema": "schema",
        "docs": "swagger-ui",
    }
    return Response({key: reverse(name, request=request, format=format) for key, name in names.items()})
