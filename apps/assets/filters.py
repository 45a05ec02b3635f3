import django_filters
from django.db.models import Exists, OuterRef

from .models import Asset


class AssetFilter(django_filters.FilterSet):
    """Shared by the API and the Photos page."""

    # A plain number, not a model choice: a choice field would tell "no such
    # library" apart from "not yours"; the visible queryset already confines it.
    library = django_filters.NumberFilter(field_name="library_id")
    folder = django_filters.CharFilter(
        method="filter_folder", help_text="Path prefix inside the library, e.g. `2024/Holidays`"
    )
    taken_after = django_filters.IsoDateTimeFilter(field_name="taken_at", lookup_expr="gte")
    taken_before = django_filters.IsoDateTimeFilter(field_name="taken_at", lookup_expr="lt")
    has_gps = django_filters.BooleanFilter(field_name="latitude", lookup_expr="isnull", exclude=True)
    missing = django_filters.BooleanFilter(method="filter_status", help_text="Files gone from disk")
    errors = django_filters.BooleanFilter(method="filter_status", help_text="Files that failed to index")
    person = django_filters.NumberFilter(method="filter_person", help_text="Assets showing this person (a person id)")

    class Meta:
        model = Asset
        fields = ["library", "kind", "status", "camera_make", "camera_model", "lens"]

    def filter_folder(self, queryset, name, value):
        prefix = value.strip("/")
        return queryset.filter(path__startswith=f"{prefix}/") if prefix else queryset

    def filter_status(self, queryset, name, value):
        status = Asset.Status.MISSING if name == "missing" else Asset.Status.ERROR
        return queryset.filter(status=status) if value else queryset.exclude(status=status)

    def filter_person(self, queryset, name, value):
        # A semi-join (EXISTS), not a join: an asset with the person twice must appear once.
        from apps.people.models import Face

        return queryset.filter(Exists(Face.objects.filter(asset=OuterRef("pk"), person_id=value)))
