"""FilterSets narrow lists, never the lookup of one object."""


class FiltersOnListsOnly:
    """DRF's get_object() filters too: with PersonFilter (hidden people stay out of lists unless
    asked for) a hidden person would answer 404 to the PATCH that shows them again, and
    `/api/faces/{id}/?unassigned=true` would hide an assigned face. A URL names its object."""

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset
