"""The quality filters of the asset FilterSet (apps/assets/filters.py mixes them in): by the 0-100
score of apps/assets/quality (`quality_min` / `quality_max`, inclusive; a minimum above the maximum
is a 400, checked with the camera ranges by camera_filters.OrderedRangesForm) and by its two flags.

The measures row has no visibility of its own: these filters narrow a queryset that is already the
caller's visible assets, so another user's scores never match through them.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from .models import AssetQuality


class ScoreFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class QualityFilters(django_filters.FilterSet):
    quality_min = ScoreFilter(field_name="quality", lookup_expr="gte", min_value=0, max_value=100,
                              help_text="Quality score at least this (0-100); unscored photos never match")
    quality_max = ScoreFilter(field_name="quality", lookup_expr="lte", min_value=0, max_value=100,
                              help_text="Quality score at most this (0-100)")
    blurry = django_filters.BooleanFilter(
        method="filter_flag", help_text="Photos whose subject (the largest face, else the frame) is out of focus "
        "or shaken (true), or the scored ones that are not (false)")
    badly_exposed = django_filters.BooleanFilter(
        method="filter_flag", help_text="Photos with much of the frame burnt out or crushed to black (true), "
        "or the scored ones that are not (false)")

    def filter_flag(self, queryset, name, value):
        flagged = Exists(AssetQuality.objects.filter(asset=OuterRef("pk"), **{name: True}))
        if value:
            return queryset.filter(flagged)
        return queryset.filter(quality__isnull=False).exclude(flagged)
