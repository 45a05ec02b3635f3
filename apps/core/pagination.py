"""API pagination by keyset (see apps.core.keyset): constant cost at any depth."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from apps.core import keyset


class KeysetPagination(BasePagination):
    page_size = 100
    max_page_size = 500
    cursor_param = "cursor"
    page_size_param = "page_size"
    ordering_param = "ordering"
    # Views set these: the fields a client may order by, and the default.
    ordering_fields: tuple[str, ...] = ("created",)
    default_ordering = "-created"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        field, descending = self._ordering(request)
        try:
            self.result = keyset.page(
                queryset, field, descending, request.query_params.get(self.cursor_param), self._page_size(request)
            )
        except ValueError as exc:
            raise ValidationError({self.cursor_param: str(exc)}) from None
        return self.result.items

    def get_paginated_response(self, data):
        return Response({"next": self.next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.cursor_param, "in": "query", "required": False, "schema": {"type": "string"},
             "description": "Opaque position from the previous page's `next` link"},
            {"name": self.page_size_param, "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size}},
            {"name": self.ordering_param, "in": "query", "required": False,
             "schema": {"type": "string", "enum": [p + f for f in self.ordering_fields for p in ("", "-")]},
             "description": f"Sort key; default `{self.default_ordering}`"},
        ]

    def next_link(self):
        if self.result.next_cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_param, self.result.next_cursor)

    def _ordering(self, request):
        ordering = request.query_params.get(self.ordering_param) or self.default_ordering
        field = ordering.removeprefix("-")
        if field not in self.ordering_fields:
            allowed = ", ".join(self.ordering_fields)
            raise ValidationError({self.ordering_param: f"'{ordering}' is not one of: {allowed} (prefix - for descending)"})
        return field, ordering.startswith("-")

    def _page_size(self, request):
        return page_size_from(request, self.page_size, self.max_page_size, self.page_size_param)


class TimelinePagination(KeysetPagination):
    # quality: best first with `-quality`; photos not scored yet are left out of that ordering.
    ordering_fields = ("taken_at", "mtime", "size", "filename", "created", "quality")
    default_ordering = "-taken_at"


def page_size_from(request, default: int, maximum: int, param: str = "page_size") -> int:
    """The `page_size` query parameter, checked: a 400 naming it when it is not 1..maximum."""
    raw = request.query_params.get(param)
    if raw is None:
        return default
    try:
        size = int(raw)
    except ValueError:
        raise ValidationError({param: "must be an integer"}) from None
    if not 1 <= size <= maximum:
        raise ValidationError({param: f"must be between 1 and {maximum}"})
    return size
