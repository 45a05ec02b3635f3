"""The day-by-day heatmap of one year (UTC days, as the years and months of activity.py)."""

from datetime import date, timedelta

from django.utils.translation import gettext as _

from apps.core.errors import BadInput

from . import counts
from .activity import _instant


def parse_year(raw) -> int | None:
    if raw in (None, ""):
        return None
    try:
        year = int(raw)
    except (TypeError, ValueError):
        raise BadInput(_("a year such as 2024"), field="year") from None
    if not 1 <= year <= 9999:
        raise BadInput(_("a year between 1 and 9999"), field="year")
    return year


def calendar(user, year=None, kind: str | None = None) -> dict:
    """{year, days: [{date, count, filters}] of the days with assets, max}. Without a year: the
    latest year with dated assets (the current year when there is none)."""
    kind, year = counts.clean_kind(kind), parse_year(year)
    if year is None:
        year = _latest_year(user, kind)
    found = counts.rows(user, ["day"], kind=kind, keys=(f"{year:04d}-01-01", f"{year:04d}-12-31"))
    days = counts.summed(found)
    listed = [{"date": day, "count": n, "filters": day_filters(day)} for day, n in sorted(days.items())]
    return {"year": year, "days": listed, "max": max(days.values(), default=0)}


def _latest_year(user, kind) -> int:
    # The newest day key of the visible libraries; keys sort as dates do.
    months = counts.summed(counts.rows(user, ["day"], kind=kind, months=True))
    return int(max(months)[:4]) if months else date.today().year


def day_filters(day: str) -> dict:
    start = date.fromisoformat(day)
    if start == date.max:
        return {"taken_after": _instant(start)}
    return {"taken_after": _instant(start), "taken_before": _instant(start + timedelta(days=1))}
