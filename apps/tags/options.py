"""The `tags` dimension of the Search page's filter options (apps/search/options.py)."""

from django.db.models import Count, Min

from .models import AssetTag, Tag

OPTIONS_LIMIT = 200


def tag_options(assets, user) -> list[dict]:
    """The caller's tags and the files' keywords on the visible assets, counted in assets; a user tag
    and a file keyword of the same path are one option (the filter matches both)."""
    if not user.is_authenticated:
        return []
    rows = (AssetTag.objects.filter(asset__in=assets, tag__in=Tag.objects.usable_by(user))
            .values("tag__key").annotate(path=Min("tag__path"), count=Count("asset", distinct=True))
            .order_by("-count", "tag__key")[:OPTIONS_LIMIT])
    return [{"value": r["path"], "label": r["path"], "count": r["count"]} for r in rows]


tag_options.needs_user = True
