"""The Tags page and list: each tag the caller sees with its count and a cover, both taken over the
photos the caller can see now (not in the trash), so no count or cover reveals another's photo."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, UUIDField
from django.db.models.functions import Coalesce

from apps.assets.models import Asset

from ..models import AssetTag, Tag


def with_counts(tags, user):
    """`tags` annotated with `count` and `cover` (an asset id). The cover is the tag's visible photo
    with the highest id: read backwards off the (tag, asset) index, no sort of a big tag's photos."""
    shown = Asset.objects.visible_to(user).alive()
    links = AssetTag.objects.filter(tag=OuterRef("pk"), asset__in=shown)
    count = links.order_by().values("tag").annotate(n=Count("*")).values("n")
    cover = links.order_by("-asset_id").values("asset_id")[:1]
    return tags.annotate(count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
                         cover=Subquery(cover, output_field=UUIDField()))


def visible_tags(user, search: str = ""):
    tags = Tag.objects.visible_to(user).select_related("owner")
    if search:
        tags = tags.filter(key__contains=search.casefold())
    return tags
