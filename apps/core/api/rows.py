"""Model rows to dicts without DRF's generic per-field lookup, for list pages of many rows."""

from functools import cached_property
from operator import attrgetter

from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject


class PlainFieldsMixin:
    """to_representation for a ModelSerializer of long pages (timeline, search: 100-200 rows of ~45
    fields). DRF reads every field through its generic get_attribute (a Mapping check, a callable
    check, error handling, a generator over the fields) row after row: about half of the 13 ms a
    100-row page of assets cost. Here a field that shows one of the model's own columns is read with
    an attrgetter; the others (methods, relations, annotations, custom fields) keep their own
    get_attribute. Every value is still formatted by its field's to_representation, so the output
    is DRF's (tests/core/test_api_rows.py)."""

    @cached_property
    def _row_readers(self) -> list:
        columns = {f.name for f in self.Meta.model._meta.concrete_fields if not f.is_relation}
        readers = []
        for field in self._readable_fields:
            plain = type(field).get_attribute is Field.get_attribute and field.source in columns
            readers.append((field.field_name, attrgetter(field.source) if plain else field.get_attribute,
                            field.to_representation))
        return readers

    def to_representation(self, instance):
        row = {}
        for name, read, represent in self._row_readers:
            try:
                value = read(instance)
            except SkipField:
                continue
            empty = value.pk is None if isinstance(value, PKOnlyObject) else value is None
            row[name] = None if empty else represent(value)
        return row
