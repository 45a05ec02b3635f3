"""Keyset pages for HTML grids: (taken_at, id) descending, constant cost at any depth."""

import base64
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet


@dataclass
class Page:
    items: list
    next_cursor: str | None


def encode_cursor(taken_at: datetime, pk) -> str:
    return base64.urlsafe_b64encode(f"{taken_at.isoformat()}|{pk}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """Raises ValueError on anything that is not a cursor we made."""
    try:
        taken_at, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1)
        return datetime.fromisoformat(taken_at), pk
    except (UnicodeDecodeError, base64.binascii.Error) as exc:
        raise ValueError("invalid cursor") from exc


def timeline_page(queryset: QuerySet, cursor: str | None, size: int) -> Page:
    queryset = queryset.filter(taken_at__isnull=False).order_by("-taken_at", "-id")
    if cursor:
        taken_at, pk = decode_cursor(cursor)
        queryset = queryset.filter(Q(taken_at__lt=taken_at) | Q(taken_at=taken_at, id__lt=pk))
    rows = list(queryset[: size + 1])
    if len(rows) > size:
        last = rows[size - 1]
        return Page(rows[:size], encode_cursor(last.taken_at, last.pk))
    return Page(rows, None)
