"""Counts per month (or per day inside one month) of what a grid shows, for the timeline scrubber.

A filtered set (a person, an album, favourites...) is grouped live on the timeline index. The
whole of what a user sees, the common case, is summed from per-library month deltas that
PostgreSQL triggers keep (TimelineMonthDelta, migration 0006): at 1,000,000 assets a live GROUP BY
took 1.6 s here, the whole request's SQL 18 ms on busy shared cores (tests/benchmarks/bench_explore.py)."""

from collections import Counter
from datetime import date, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import TruncDay, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import BadInput
from apps.scanning.models import Library

from ..models import Asset, TimelineMonthDelta

# Compact a library's deltas once they are this many rows more than its months.
COMPACT_SLACK = 200


def parse_month(raw: str) -> date:
    """`YYYY-MM` -> the first day of that month; BadInput(field="month") for anything else."""
    try:
        first = datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        raise BadInput(_("expected a month as YYYY-MM"), field="month") from None
    if first.year < 2 or first.year > 9998:
        raise BadInput(_("a month between year 2 and 9998"), field="month")
    return first


def buckets(assets, month: str | None = None) -> list[dict]:
    """Newest first: {"bucket": "2024-05" (or "2024-05-13" inside `month`), "count", "before"},
    where `before` is the instant just after the bucket: the grid position that shows it first."""
    assets = assets.filter(taken_at__isnull=False)
    if not month:
        counts = _group(assets, TruncMonth)
        return _rows(counts, monthly=True)
    first = parse_month(month)
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(_next_month(first), datetime.min.time()))
    counts = _group(assets.filter(taken_at__gte=start, taken_at__lt=end), TruncDay)
    return _rows(counts, monthly=False)


def visible_buckets(user) -> list[dict]:
    """Months of everything `user` sees (alive, with a capture time), from the deltas of the
    libraries they see plus a live count of what albums share with them from other libraries."""
    if settings.TIME_ZONE != "UTC":  # the deltas are UTC months
        return buckets(Asset.objects.visible_to(user).alive())
    library_ids = list(Library.objects.visible_to(user).values_list("pk", flat=True))
    counts: Counter = Counter()
    stored = 0
    deltas = TimelineMonthDelta.objects.filter(library_id__in=library_ids).values("month")
    for row in deltas.annotate(total=Sum("delta"), rows=Count("pk")).order_by():
        counts[row["month"]] += row["total"]
        stored += row["rows"]
    if stored > len(counts) + COMPACT_SLACK:
        compact(library_ids)
    if not user.is_superuser:  # a superadmin's libraries are all of them
        items = apps.get_model("albums", "AlbumItem").objects  # resolved at call time: albums depends on assets
        shared = Asset.objects.alive().filter(pk__in=items.shared_with(user), taken_at__isnull=False)
        counts.update(_group(shared.exclude(library_id__in=library_ids), TruncMonth))
    return _rows(counts, monthly=True)


def compact(library_ids) -> None:
    """Fold the libraries' deltas into one row per month. Safe beside concurrent writers: rows
    appended after this statement's snapshot are neither deleted nor counted twice."""
    table = TimelineMonthDelta._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM {table} WHERE library_id = ANY(%s) RETURNING library_id, month, delta) "
            f"INSERT INTO {table} (library_id, month, delta) "
            "SELECT library_id, month, sum(delta) FROM gone GROUP BY 1, 2 HAVING sum(delta) <> 0",
            [list(library_ids)],
        )


def _group(assets, trunc) -> Counter:
    rows = assets.annotate(bucket=trunc("taken_at")).values("bucket").annotate(count=Count("pk")).order_by()
    return Counter({timezone.localtime(row["bucket"]).date(): row["count"] for row in rows})


def _rows(counts: Counter, monthly: bool) -> list[dict]:
    result = []
    for start in sorted((day for day, count in counts.items() if count > 0), reverse=True):
        end = _next_month(start) if monthly else start + timedelta(days=1)
        result.append({
            "bucket": start.strftime("%Y-%m" if monthly else "%Y-%m-%d"),
            "count": counts[start],
            "before": timezone.make_aware(datetime.combine(end, datetime.min.time())).isoformat(),
        })
    return result


def _next_month(day: date) -> date:
    if day.year == date.max.year and day.month == 12:
        return date.max  # no month after December 9999 to point at
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)
