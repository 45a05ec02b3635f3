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
from django.utils.translation import gettext as _

from apps.assets.models import Asset
from apps.core.errors import BadInput
from apps.scanning.models import Library

from ..models import StatDelta

# Fold a set of libraries' deltas once they are this many rows more than the values they count.
COMPACT_SLACK = 2000
SHARED = None  # the "library" of what albums share from libraries the user does not see
KINDS = [choice.value for choice in Asset.Kind]

# Driven from the shared album items (a few thousand ids, each read through the asset's primary key):
# written as `a.id IN (...)` the planner scanned all the assets to hash-join them (~250 ms at 1,000,000).
SHARED_SQL = """
SELECT {kind}, k.dim, {key}, count(*), sum(k.bytes)::bigint, sum(k.derivative_bytes)::bigint
FROM (SELECT DISTINCT asset_id FROM ({items}) items) s
JOIN assets_asset a ON a.id = s.asset_id
CROSS JOIN LATERAL stats_keys(
  a.mime, a.size, a.derivatives_size, a.taken_at, a.taken_at_offset, a.camera_make, a.camera_model, a.lens,
  a.iso, a.f_number, a.exposure_time, a.focal_length) k
WHERE a.deleted_at IS NULL AND a.library_id <> ALL(%s) {kind_filter} AND k.dim = ANY(%s) {key_range}
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
        raise BadInput(_("one of %(names)s") % {"names": ', '.join(KINDS)}, field="kind")
    return kind


def visible_libraries(user) -> list[int]:
    return list(Library.objects.visible_to(user).values_list("pk", flat=True))


def rows(user, dims: list[str], *, kind: str | None = None, keys: tuple[str, str] | None = None,
         by_library: bool = False, months: bool = False) -> list[Row]:
    """The non-zero counts of `dims` over what `user` sees, one Row per (dim, key), and per library
    and kind with `by_library` (album shares from unseen libraries then come as library None).
    `keys` keeps keys in [low, high]; `months` counts `day` keys per month ('2024-05')."""
    library_ids = visible_libraries(user)
    where, params = "", [list(dims), library_ids]
    if kind:
        where, params = where + " AND kind = %s", [*params, kind]
    if keys:
        where, params = where + " AND key BETWEEN %s AND %s", [*params, *keys]
    # Grouped by the stored grain inside (what a fold would leave, to know when to fold), by what the
    # caller needs outside: the Python side then handles hundreds of rows, not tens of thousands.
    outer = _outer_columns("d", by_library, months)
    sql = (f"SELECT {outer}, sum(n), sum(b), sum(dv), sum(stored), count(*) FILTER (WHERE n <> 0 OR b <> 0 OR dv <> 0) "
           f"FROM (SELECT library_id, kind, dim, key, sum(count) AS n, sum(bytes) AS b, "
           f"sum(derivative_bytes) AS dv, count(*) AS stored FROM {StatDelta._meta.db_table} "
           f"WHERE dim = ANY(%s) AND library_id = ANY(%s){where} GROUP BY 1, 2, 3, 4) d GROUP BY 1, 2, 3, 4")
    found, stored, values = [], 0, 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for library, row_kind, dim, key, n, b, d, kept, live in cursor.fetchall():
            stored, values = stored + kept, values + live
            if n or b or d:
                found.append(Row(library, row_kind, dim, key, int(n), int(b), int(d)))
    if stored > values + COMPACT_SLACK:
        compact(library_ids)
    if not user.is_superuser:  # a superadmin's libraries are all of them
        found += _shared(user, library_ids, dims, kind, keys, by_library, months)
    return found


def _outer_columns(table: str, by_library: bool, months: bool) -> str:
    library = f"{table}.library_id" if by_library else "NULL::bigint"
    kind = f"{table}.kind" if by_library else "''"
    return f"{library}, {kind}, {table}.dim, {_key(table, months)}"


def _key(table: str, months: bool) -> str:
    return f"CASE WHEN {table}.dim = 'day' THEN left({table}.key, 7) ELSE {table}.key END" if months else f"{table}.key"


def _shared(user, library_ids, dims, kind, keys, by_library, months) -> list[Row]:
    items = apps.get_model("albums", "AlbumItem").objects  # resolved at call time: albums depends on assets
    inner, params = items.shared_with(user).query.sql_with_params()
    params = [*params, library_ids]
    kind_filter = ""
    if kind:
        kind_filter, params = "AND a.kind = %s", [*params, kind]
    params.append(list(dims))
    key_range = ""
    if keys:
        key_range, params = "AND k.key BETWEEN %s AND %s", [*params, *keys]
    sql = SHARED_SQL.format(items=inner, kind="a.kind" if by_library else "''", key=_key("k", months),
                            kind_filter=kind_filter, key_range=key_range)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
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
