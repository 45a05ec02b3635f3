"""Tag filters of the asset FilterSet (apps/assets/filters.py): `tags_all`, `tags_any`, `tags_none`.

Each takes comma-separated tag paths; a path matches that tag and its descendants (`Places` finds
photos tagged `Places/Italy/Rome`), among the caller's own tags and the files' keywords. An unknown
path matches nothing (`tags_all`/`tags_any`: an empty result; `tags_none`: excludes nothing).

The names are resolved to tag ids first (one small query on the key index). With a positive term
(`tags_all`/`tags_any`), the three filters are one candidate set on the per-asset tag arrays
(AssetTagSet, GIN index: `tag_ids && {ids}` per term, `NOT tag_ids && {ids}` for `tags_none`):
  - a few candidates (up to CANDIDATES, counted with a cap, one GIN scan): they are materialised
    (`id = ANY(ARRAY(...))`), so the asset scan is a bitmap on the primary key and a top-N sort
    instead of a walk down the timeline probing every row for a rare combination;
    A parent with many descendants (over BROAD ids) is left out of the count and of the index
    lookup, checked on the candidates' arrays instead;
  - many, or only broad groups: an EXISTS probe of the (asset, tag) index per term, on the walk in page order (a dense
    set fills a page after a short walk, and a long id list would cost more than it saves).
`tags_none` alone is always the anti-join probe. The tag arrays are only a candidate filter: who
sees which asset is still the queryset's `visible_to`.
"""

from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, BooleanField, Exists, F, Func, OuterRef, Q, Subquery

from .models import SEPARATOR, AssetTag, AssetTagSet, Tag, tag_key

MODES = ("tags_all", "tags_any", "tags_none")
# Above this many candidates the walk in page order is the cheaper plan (about 2 % of a
# million-asset library: a page of matches within a few thousand probes).
CANDIDATES = 20_000
# A group of more ids (a parent with many descendants) is checked on the candidates' arrays, not
# looked up in the GIN index: its bitmap (most of the library for `Places`) cost more than the rest
# of the query at a million assets.
BROAD = 32
# The arrays as an expression the GIN index does not match.
UNINDEXED = Func(F("tag_ids"), template="(%(expressions)s || '{}'::bigint[])",
                 output_field=ArrayField(BigIntegerField()))


def terms(value: str) -> list[str]:
    return [key for key in dict.fromkeys(tag_key(t.strip().strip(SEPARATOR)) for t in value.split(",")) if key]


def _resolve(user, keys: list[str]) -> dict[str, list[int]]:
    """{key: ids of the usable tags at that path or under it}."""
    found = {key: [] for key in keys}
    if user is None or not user.is_authenticated or not keys:
        return found
    under = Q()
    for key in keys:
        under |= Q(key=key) | Q(key__startswith=key + SEPARATOR)
    for pk, tag in Tag.objects.usable_by(user).filter(under).values_list("pk", "key"):
        for key in keys:
            if tag == key or tag.startswith(key + SEPARATOR):
                found[key].append(pk)
    return found


def _tagged(ids):
    return Exists(AssetTag.objects.filter(asset=OuterRef("pk"), tag_id__in=ids))


class InArrayOf(Func):
    """`lhs = ANY(ARRAY(subquery))`: the subquery runs once, as an InitPlan, and the planner probes
    the lhs's index with its values (where `IN (subquery)` may become a join driven from the other side)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        lhs, rhs = (compiler.compile(e) for e in self.get_source_expressions())
        return f"{lhs[0]} = ANY(ARRAY{rhs[0]})", (*lhs[1], *rhs[1])


def _groups(user, values: dict) -> tuple[list[list[int]] | None, list[int]]:
    """(the id groups an asset must each overlap, None for "nothing matches"; the ids it must not carry)."""
    keys = {mode: terms(values.get(mode) or "") for mode in MODES}
    found = _resolve(user, [key for mode in MODES for key in keys[mode]])
    positive = [found[key] for key in keys["tags_all"]]
    if keys["tags_any"]:
        positive.append(sorted({pk for key in keys["tags_any"] for pk in found[key]}))
    if not all(positive):
        return None, []
    return positive, sorted({pk for key in keys["tags_none"] for pk in found[key]})


def filter_by_tags(queryset, user, values: dict):
    """`values`: {mode: comma-separated paths} for the modes of MODES given."""
    positive, excluded = _groups(user, values)
    if positive is None:
        return queryset.none()
    if not positive:
        return queryset.filter(~_tagged(excluded)) if excluded else queryset
    narrow = sorted((ids for ids in positive if len(ids) <= BROAD), key=len)
    if narrow:
        # Counted on the narrow groups alone (an upper bound): a parent's bitmap would cover most
        # of the library. The smallest group first, the exclusion next: the planner checks what the
        # index did not settle in this order, and `&&` costs a comparison per id and per row.
        sets = AssetTagSet.objects.filter(tag_ids__overlap=narrow[0])
        if excluded:
            sets = sets.exclude(tag_ids__overlap=excluded)
        for ids in narrow[1:]:
            sets = sets.filter(tag_ids__overlap=ids)
        if sets[:CANDIDATES + 1].count() <= CANDIDATES:
            sets = sets.alias(unindexed=UNINDEXED)
            for ids in positive:
                if len(ids) > BROAD:
                    sets = sets.filter(unindexed__overlap=ids)
            return queryset.filter(InArrayOf(F("pk"), Subquery(sets.values("asset_id"))))
    for ids in positive:
        queryset = queryset.filter(_tagged(ids))
    return queryset.filter(~_tagged(excluded)) if excluded else queryset
