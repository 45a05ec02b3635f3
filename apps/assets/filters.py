import django_filters

from .models import Asset


class AssetFilter(django_filters.FilterSet):
    """Shared by the API and the Photos page."""

    taken_after = django_filters.IsoDateTimeFilter(field_name="taken_at", lookup_expr="gte")
    taken_before = django_filters.IsoDateTimeFilter(field_name="taken_at", lookup_expr="lt")
    has_gps = django_filters.BooleanFilter(field_name="latitude", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Asset
        fields = ["library", "kind", "status", "camera_make", "camera_model", "lens"]
