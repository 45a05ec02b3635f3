"""FilterSet completeness, in the style of NetBox's `test_missing_filters`
(netbox/utilities/testing/filtersets.py): every field of the model that a filter could match has
one, or a written reason why not. The asset and person FilterSets are shared by the API, the pages,
search and smart albums, so a field left out is left out everywhere.

    class TestAssetFilterIsComplete(FilterSetCompleteness):
        filterset = AssetFilter
        covered_by = {"path": "folder"}  # fields that a filter of another name (a method filter) covers
        ignored = {"mime": "kind is what people filter by; mime is a detail of it"}

A filter covers a field when its `field_name` is the field (`taken_after` with
field_name="taken_at") or the field's column (`library_id`). A new model field fails the test until
it gets a filter or a line in `ignored`; a stale line (a field that is gone, a filter that is gone,
an ignored field that has a filter after all) fails it too.
"""

from django.db import models
from pgvector.django import VectorField

# Raw tag dumps, bytes and vectors are searched or compared, never matched by a filter.
UNFILTERABLE = (models.JSONField, models.BinaryField, VectorField)


class FilterSetCompleteness:
    filterset = None
    covered_by: dict[str, str | tuple[str, ...]] = {}
    ignored: dict[str, str] = {}

    @classmethod
    def model_fields(cls) -> dict[str, models.Field]:
        """The model's own fields of a filterable kind. Reverse relations belong to the other model
        (and its FilterSet), as in NetBox."""
        model = cls.filterset._meta.model
        return {
            field.name: field
            for field in model._meta.get_fields()
            if not isinstance(field, models.ForeignObjectRel) and not isinstance(field, UNFILTERABLE)
            and not field.name.startswith("_")
        }

    @classmethod
    def filters_on(cls, field: models.Field) -> list[str]:
        names = {field.name, getattr(field, "attname", field.name)}
        filters = cls.filterset.base_filters
        return sorted(name for name, filter_ in filters.items() if filter_.field_name in names)

    @classmethod
    def covering(cls, name: str) -> tuple[str, ...]:
        covered = cls.covered_by.get(name, ())
        return (covered,) if isinstance(covered, str) else tuple(covered)

    def test_every_model_field_has_a_filter_or_a_reason(self):
        missing = [
            name for name, field in self.model_fields().items()
            if not self.filters_on(field) and not self.covering(name) and name not in self.ignored
        ]
        assert not missing, (
            f"{self.filterset.__name__} has no filter for {', '.join(missing)}: add one, name the filter "
            "that covers it in `covered_by`, or say in `ignored` why it has none"
        )

    def test_the_declared_exceptions_are_still_true(self):
        fields, filters = self.model_fields(), self.filterset.base_filters
        declared = [*self.covered_by, *self.ignored]
        stale = [f"{name} (no such field)" for name in declared if name not in fields]
        stale += [
            f"{name} -> {target} (no such filter)"
            for name in self.covered_by for target in self.covering(name) if target not in filters
        ]
        stale += [
            f"{name} (ignored, but {', '.join(self.filters_on(fields[name]))} filters it)"
            for name in self.ignored if name in fields and self.filters_on(fields[name])
        ]
        stale += [f"{name} (ignored without a reason)" for name, why in self.ignored.items() if not why.strip()]
        assert not stale, f"{self.filterset.__name__}'s declarations are out of date: {'; '.join(stale)}"
