"""How the API describes itself: drf-spectacular's AutoSchema with one rule of ours."""

from drf_spectacular.openapi import AutoSchema


class MediaHubAutoSchema(AutoSchema):
    """Only a GET answers a page and takes the list's filters. A POST or DELETE that answers a list
    of per-item results (adding items to an album, say) is a plain array, whatever the view's
    pagination and FilterSet, and spectacular would otherwise document both for it."""

    def _get_paginator(self):
        return super()._get_paginator() if self.method == "GET" else None

    def get_filter_backends(self):
        return super().get_filter_backends() if self.method == "GET" else []
