import django_filters

from .models import Face, Person


class FaceFilter(django_filters.FilterSet):
    asset = django_filters.UUIDFilter(field_name="asset_id")
    person = django_filters.NumberFilter(field_name="person_id")
    unassigned = django_filters.BooleanFilter(field_name="person", lookup_expr="isnull")

    class Meta:
        model = Face
        fields = ["asset", "person", "unassigned"]


class PersonFilter(django_filters.FilterSet):
    """Hidden people stay out of lists unless asked for: `hidden=true` lists only them,
    `include_hidden=true` lists everyone."""

    hidden = django_filters.BooleanFilter(help_text="true: only hidden people; false: only shown ones")
    include_hidden = django_filters.BooleanFilter(method="keep", help_text="list hidden people too")
    name = django_filters.CharFilter(lookup_expr="icontains", help_text="part of the name")
    named = django_filters.BooleanFilter(field_name="name", method="filter_named", help_text="has a name")

    class Meta:
        model = Person
        fields = ["hidden", "include_hidden", "name", "named"]

    def keep(self, queryset, name, value):
        return queryset  # read in filter_queryset: it changes the default, not the rows directly

    def filter_named(self, queryset, name, value):
        return queryset.exclude(name="") if value else queryset.filter(name="")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        asked = self.form.cleaned_data
        if asked.get("hidden") is None and not asked.get("include_hidden"):
            queryset = queryset.filter(hidden=False)
        return queryset
