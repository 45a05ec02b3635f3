from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    """Keyset pages: constant cost however deep the user scrolls."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("-created", "-id")


class TimelinePagination(KeysetPagination):
    ordering = ("-taken_at", "-id")
