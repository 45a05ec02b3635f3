"""Camera-setting filters of the one asset FilterSet (apps/assets/filters.py): ranges on ISO,
aperture, shutter speed, focal length and its 35 mm equivalent, a RAW flag and the orientation
the photo is shown in. AssetFilter inherits them, so the API, search, smart albums and the
Search page all get them.

A range is two parameters, `<name>_min` and `<name>_max`, both inclusive; either may be left out.
A minimum above its maximum is a 400 naming the maximum, as any bad value is.
"""

import math

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .metadata.sniff import RAW_MIMES

# Generous bounds (a value past them is a typo, not a camera), and the database's own limits:
# ISO is a 32-bit integer column, so a bigger number would fail in PostgreSQL, not match nothing.
MAX_ISO = 10_000_000
MAX_APERTURE = 1_000
MAX_SHUTTER_S = 1_000_000
MAX_FOCAL_MM = 100_000


class ShutterField(forms.Field):
    """A shutter speed in seconds: `30`, `0.5`, `2s`, or a fraction of a second as cameras show it, `1/250`."""

    default_error_messages = {
        "invalid": "Enter seconds (30, 0.5) or a fraction of a second (1/250).",
        "range": f"Enter a shutter speed above 0 and at most {MAX_SHUTTER_S:,} seconds.",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower().removesuffix("s").strip()
        try:
            if "/" in text:
                numerator, denominator = text.split("/", 1)
                seconds = float(numerator) / float(denominator)
            else:
                seconds = float(text)
        except (ValueError, ZeroDivisionError, OverflowError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not math.isfinite(seconds) or not 0 < seconds <= MAX_SHUTTER_S:
            raise ValidationError(self.error_messages["range"], code="range")
        return seconds


@extend_schema_field(OpenApiTypes.STR)  # "1/250" or "30": one string in the query
class ShutterFilter(django_filters.Filter):
    field_class = ShutterField


class FloatFilter(django_filters.NumberFilter):
    field_class = forms.FloatField  # floats, not Decimals: the columns are double precision


class IntFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def _range(filter_class, field: str, what: str, **bounds):
    """The `_min` / `_max` pair of one column."""
    return (
        filter_class(field_name=field, lookup_expr="gte", help_text=f"{what}: at least this", **bounds),
        filter_class(field_name=field, lookup_expr="lte", help_text=f"{what}: at most this", **bounds),
    )


class Orientation:
    """How a photo is shown: its stored width and height are after the file's EXIF orientation;
    a quarter turn the user added swaps them again."""

    CHOICES = [("landscape", gettext_lazy("Landscape")), ("portrait", gettext_lazy("Portrait")),
               ("square", gettext_lazy("Square"))]

    @staticmethod
    def condition(shape: str) -> Q:
        turned = Q(user_rotation__in=(90, 270))
        wide, tall = Q(width__gt=F("height")), Q(height__gt=F("width"))
        if shape == "square":
            return Q(width=F("height"))
        if shape == "landscape":
            return (wide & ~turned) | (tall & turned)
        return (tall & ~turned) | (wide & turned)

    @classmethod
    def expression(cls) -> Case:
        """The shape as a value (NULL without a size), for counting by it."""
        return Case(*(When(cls.condition(shape), then=Value(shape)) for shape, _ in cls.CHOICES),
                    default=None, output_field=CharField())


def is_raw() -> Q:
    return Q(mime__in=sorted(RAW_MIMES))


# (minimum, maximum) parameter pairs, for the check that a minimum is not above its maximum.
RANGES = [
    ("iso_min", "iso_max"), ("aperture_min", "aperture_max"), ("shutter_min", "shutter_max"),
    ("focal_length_min", "focal_length_max"), ("focal_length_35mm_min", "focal_length_35mm_max"),
    ("quality_min", "quality_max"),  # apps/assets/quality_filters.py
]


class OrderedRangesForm:
    """Mixed into the FilterSet's form: `iso_min=800&iso_max=100` is a 400 naming `iso_max`."""

    def clean(self):
        data = super().clean()
        for low, high in RANGES:
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, f"{high} must not be below {low}")
        return data


class CameraSettingsFilters(django_filters.FilterSet):
    iso_min, iso_max = _range(IntFilter, "iso", "ISO", min_value=0, max_value=MAX_ISO)
    aperture_min, aperture_max = _range(FloatFilter, "f_number", "Aperture as an f-number (2.8 for f/2.8)",
                                        min_value=0, max_value=MAX_APERTURE)
    shutter_min, shutter_max = _range(ShutterFilter, "exposure_time", "Shutter speed (exposure time) in seconds or as 1/250")
    focal_length_min, focal_length_max = _range(FloatFilter, "focal_length", "Focal length in mm",
                                                min_value=0, max_value=MAX_FOCAL_MM)
    focal_length_35mm_min, focal_length_35mm_max = _range(
        FloatFilter, "focal_length_35mm", "Focal length in mm as its 35 mm equivalent", min_value=0, max_value=MAX_FOCAL_MM)
    raw = django_filters.BooleanFilter(method="filter_raw", help_text="Camera RAW files (true) or the others (false)")
    orientation = django_filters.ChoiceFilter(
        choices=Orientation.CHOICES, method="filter_orientation",
        help_text="As shown (after the file's orientation and any turn you added): landscape, portrait or square",
    )

    def get_form_class(self):
        form = super().get_form_class()
        return type(form.__name__, (OrderedRangesForm, form), {})

    def filter_raw(self, queryset, name, value):
        return queryset.filter(is_raw() if value else ~is_raw())

    def filter_orientation(self, queryset, name, value):
        return queryset.filter(Orientation.condition(value))
