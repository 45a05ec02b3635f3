"""When: assets per year and per month (capture time in UTC, the instants the grid's
taken_after/taken_before select, so a bar and the grid it opens agree), and per hour of the day
and day of the week on the camera's clock (its recorded offset, else UTC: a trip's evening photos
stay in the evening)."""

from datetime import date

from . import counts

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def activity(user, kind: str | None = None) -> dict:
    kind = counts.clean_kind(kind)
    found = counts.rows(user, ["total", "day", "clock"], kind=kind, months=True)
    months = counts.summed([row for row in found if row.dim == "day"])
    clock = counts.summed([row for row in found if row.dim == "clock"])
    years = {}
    for month, count in months.items():
        years[month[:4]] = years.get(month[:4], 0) + count
    hours, weekdays = [0] * 24, [0] * 7
    for key, count in clock.items():
        weekday, hour = key.split("-")
        weekdays[int(weekday) - 1] += count
        hours[int(hour)] += count
    total = sum(row.count for row in found if row.dim == "total")
    return {
        "years": [{"year": int(year), "count": n, "filters": year_filters(int(year))} for year, n in sorted(years.items())],
        "months": [{"month": month, "count": n, "filters": month_filters(month)} for month, n in sorted(months.items())],
        "hours": [{"hour": hour, "count": n} for hour, n in enumerate(hours)],
        "weekdays": [{"weekday": n + 1, "name": WEEKDAYS[n], "count": count} for n, count in enumerate(weekdays)],
        "undated": total - sum(months.values()),
    }


def _instant(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def year_filters(year: int) -> dict:
    after = _instant(date(year, 1, 1))
    if year >= 9999:
        return {"taken_after": after}
    return {"taken_after": after, "taken_before": _instant(date(year + 1, 1, 1))}


def month_filters(month: str) -> dict:
    year, number = int(month[:4]), int(month[5:7])
    after = _instant(date(year, number, 1))
    if number == 12 and year >= 9999:
        return {"taken_after": after}
    following = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    return {"taken_after": after, "taken_before": _instant(following)}
