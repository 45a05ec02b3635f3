"""Pages of a timeline grid in both directions, for the Photos page and its scrubber.

A page is read by keyset on (taken_at, id) from one of three positions: a cursor (`cursor=`, the
next older page), an instant (`at=`, where the scrubber jumps: the newest row before it), or the
row above the first one shown (`before=`, the next newer page, read ascending and turned over).
A page that does not start at the top carries a link to the page above it, so infinite scroll
goes both ways after a jump."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.utils.dateparse import parse_datetime

from apps.core import keyset

from .presentation import PAGE_SIZE, grid_rows

# Sorts after every real id: a jump to an instant starts with the rows taken strictly before it.
AFTER_EVERY_ID = UUID(int=(1 << 128) - 1)


@dataclass
class GridPage:
    rows: list
    older_cursor: str | None  # the next page down
    newer_cursor: str | None  # the page above, when this one does not start at the top


def parse_at(raw: str) -> datetime:
    at = parse_datetime(raw.replace(" ", "+"))  # a "+" left unescaped in a query arrives as a space
    if at is None or at.tzinfo is None:
        raise ValueError("at: expected an ISO date-time with its offset")
    return at


def read(assets, params) -> GridPage:
    """The page `params` asks for (cursor, at, before; day for headings); ValueError for bad ones."""
    if before := params.get("before"):
        page = keyset.page(assets, "taken_at", False, before, PAGE_SIZE)
        items = page.items[::-1]
        return GridPage(grid_rows(items, ""), None, page.next_cursor)
    cursor = params.get("cursor")
    at = params.get("at")
    if at and not cursor:
        cursor = keyset.encode_cursor(parse_at(at), AFTER_EVERY_ID)
    page = keyset.timeline_page(assets, cursor, PAGE_SIZE)
    newer = None
    if at and page.items and not params.get("cursor"):
        first = page.items[0]
        newer = keyset.encode_cursor(first.taken_at, first.pk)
        if not keyset.after(keyset.ordered(assets, "taken_at", False), "taken_at", False, first.taken_at, first.pk).exists():
            newer = None
    return GridPage(grid_rows(page.items, params.get("day", "")), page.next_cursor, newer)


def links(params, page: GridPage) -> tuple[str | None, str | None]:
    """(older_url, newer_url) for the page's infinite-scroll sentinels, keeping the filters."""
    older = newer = None
    position = ("cursor", "at", "before", "day")
    if page.older_cursor:
        query = params.copy()
        for key in position:
            query.pop(key, None)
        query["cursor"] = page.older_cursor
        query["day"] = page.rows[-1]["day"]
        older = f"?{query.urlencode()}"
    if page.newer_cursor:
        query = params.copy()
        for key in position:
            query.pop(key, None)
        query["before"] = page.newer_cursor
        newer = f"?{query.urlencode()}"
    return older, newer
