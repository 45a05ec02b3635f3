from rest_framework import viewsets

from apps.assets.filters import AssetFilter
from apps.assets.models import Asset
from apps.core.pagination import TimelinePagination

from .serializers import AssetSerializer


class AssetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AssetSerializer
    queryset = Asset.objects.none()  # for the schema; real rows come from visible_to
    filterset_class = AssetFilter
    pagination_class = TimelinePagination

    def get_queryset(self):
        return Asset.objects.visible_to(self.request.user).alive()
