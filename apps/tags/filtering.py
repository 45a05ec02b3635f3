"""Tag filters of the asset FilterSet (apps/assets/filters.py): `tags_all`, `tags_any`, `tags_none`.

Each takes comma-separated tag paths; a path matches that tag and its descendants (`Places` finds
photos tagged `Places/Italy/Rome`), among the caller's own tags and the files' keywords. An unknown
path matches nothing (`tags_all`/`tags_any`: an empty result; `tags_none`: excludes nothing).

The names are resolved to tag ids first (one small query on the key index), then each term is an
EXISTS probe of the (asset, tag) index: the planner sees the ids as constants and can start from
either side (the links of a rare tag, or the assets in page order for a common one).
"""

from django.db.models import Exists, OuterRef, Q

from .models import SEPARATOR, AssetTag, Tag, tag_key

MODES = ("tags_all", "tags_any", "tags_none")


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


def filter_by_tags(queryset, user, mode: str, value: str):
    keys = terms(value or "")
    if not keys:
        return queryset
    groups = _resolve(user, keys)
    if mode == "tags_all":
        if not all(groups.values()):
            return queryset.none()
        for ids in groups.values():
            queryset = queryset.filter(_tagged(ids))
        return queryset
    ids = sorted({pk for group in groups.values() for pk in group})
    if mode == "tags_any":
        return queryset.filter(_tagged(ids)) if ids else queryset.none()
    return queryset.filter(~_tagged(ids)) if ids else queryset
