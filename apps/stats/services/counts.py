"""What every statistic of the Stats page reads: the counts of the assets a user sees (alive), per
statistic and value, from the per-library deltas that PostgreSQL triggers keep (StatDelta,
migration stats/0001), plus a live count of what albums share with the user from libraries they do
not see.

Kept fresh by the triggers themselves: every INSERT, DELETE and UPDATE of assets appends its deltas
in the same transaction, so a count is never stale and nothing needs to be scheduled. Reads fold a
library's deltas into one row per value once they pile up (compact), as the timeline's do. At
1,000,000 assets a live GROUP BY over the visible set took seconds; the sums take milliseconds
(tests/benchmarks/bench_stats.py).

Album shares are counted live, with the same SQL function the triggers use (stats_keys), so a
shared photo lands in the same bucket as it would in its own library; they are few next to a
library. A shared photo whose library the user also sees is counted once, through the library.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.db.models import Count, Sum

from apps.assets.models import Asset
from apps.core.errors import BadInput
from apps.scanning.models import Library

from ..models import StatDelta

# Fold a set of libraries' deltas once they are this many rows more than the values they count.
COMPACT_SLACK = 2000
SHARED = None  # the "library" of what albums share from libraries the user does not see
KINDS = [choice.value for choice in Asset.Kind]

SHARED_SQL = """
SELECT a.kind, k.dim, k.key, count(*), sum(k.bytes)::bigint, sum(k.derivative_bytes)::bigint
FROM assets_asset a CROSS JOIN LATERAL stats_keys(
  a.mime, a.size, a.derivatives_size, a.taken_at, a.taken_at_offset, a.camera_make, a.camera_model, a.lens,
  a.iso, a.f_number, a.exposure_time, a.focal_length) k
WHERE a.id IN ({inner}) AND k.dim = ANY(%s) {key_range}
GROUP BY 1, 2, 3
"""


@dataclass
class Row:
    library: int | None
    kind: str
    dim: str
    key: str
    count: int
    bytes: int = 0
    derivative_bytes: int = 0


def clean_kind(kind: str | None) -> str | None:
    if kind in (None, ""):
        return None
    if kind not in KINDS:
        raise BadInput(f"one of {', '.join(KINDS)}", field="kind")
    return kind


def visible_libraries(user) -> list[int]:
    return list(Library.objects.visible_to(user).values_list("pk", flat=True))


def rows(user, dims: list[str], *, kind: str | None = None, keys: tuple[str, str] | None = None) -> list[Row]:
    """The non-zero counts of `dims` over what `user` sees, one Row per (library, kind, dim, key);
    album shares from unseen libraries come as library None. `keys` keeps keys in [low, high]."""
    library_ids = visible_libraries(user)
    deltas = StatDelta.objects.filter(dim__in=dims, library_id__in=library_ids)
    if kind:
        deltas = deltas.filter(kind=kind)
    if keys:
        deltas = deltas.filter(key__gte=keys[0], key__lte=keys[1])
    grouped = (deltas.values("library_id", "kind", "dim", "key").order_by()
               .annotate(n=Sum("count"), b=Sum("bytes"), d=Sum("derivative_bytes"), stored=Count("pk")))
    found, stored = [], 0
    for row in grouped:
        stored += row["stored"]
        if row["n"] or row["b"] or row["d"]:
            found.append(Row(row["library_id"], row["kind"], row["dim"], row["key"], row["n"], row["b"], row["d"]))
    if stored > len(found) + COMPACT_SLACK:
        compact(library_ids)
    if not user.is_superuser:  # a superadmin's libraries are all of them
        found += _shared(user, library_ids, dims, kind, keys)
    return found


def _shared(user, library_ids, dims, kind, keys) -> list[Row]:
    items = apps.get_model("albums", "AlbumItem").objects  # resolved at call time: albums depends on assets
    shared = Asset.objects.alive().filter(pk__in=items.shared_with(user)).exclude(library_id__in=library_ids)
    if kind:
        shared = shared.filter(kind=kind)
    inner, params = shared.values("id").query.sql_with_params()
    key_range, extra = "", []
    if keys:
        key_range, extra = "AND k.key BETWEEN %s AND %s", list(keys)
    with connection.cursor() as cursor:
        cursor.execute(SHARED_SQL.format(inner=inner, key_range=key_range), [*params, list(dims), *extra])
        return [Row(SHARED, *values) for values in cursor.fetchall()]


def compact(library_ids) -> None:
    """Fold the libraries' deltas into one row per value. Safe beside concurrent writers: rows
    appended after this statement's snapshot are neither deleted nor counted twice."""
    table = StatDelta._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM {table} WHERE library_id = ANY(%s) "
            "RETURNING library_id, kind, dim, key, count, bytes, derivative_bytes) "
            f"INSERT INTO {table} (library_id, kind, dim, key, count, bytes, derivative_bytes) "
            "SELECT library_id, kind, dim, key, sum(count), sum(bytes), sum(derivative_bytes) FROM gone "
            "GROUP BY 1, 2, 3, 4 HAVING sum(count) <> 0 OR sum(bytes) <> 0 OR sum(derivative_bytes) <> 0",
            [list(library_ids)],
        )


def summed(found: list[Row], by=lambda row: row.key) -> dict:
    """{by(row): count} over rows, dropping zeros."""
    totals: dict = defaultdict(int)
    for row in found:
        totals[by(row)] += row.count
    return {key: count for key, count in totals.items() if count}
