import django_filters

from .models import Face


class FaceFilter(django_filters.FilterSet):
    asset = django_filters.UUIDFilter(field_name="asset_id")
    person = django_filters.NumberFilter(field_name="person_id")
    unassigned = django_filters.BooleanFilter(field_name="person", lookup_expr="isnull")

    class Meta:
        model = Face
        fields = ["asset", "person", "unassigned"]
