"""Filters shared by the apps' FilterSets."""

from datetime import UTC

import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import IsoDateTimeField


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, sent to the database in UTC.

    PostgreSQL refuses UTC offsets beyond +-15:59 ("time zone displacement out of range") that
    Python accepts (up to +-23:59), and a year-1 or year-9999 time can leave Python's range once
    its offset is applied; both were 500s. In UTC the first is fine and the second is a 400.
    """

    default_error_messages = {"out_of_range": "Enter a date and time between the years 1 and 9999 in UTC."}

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range") from None


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField
