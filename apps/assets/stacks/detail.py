"""What the detail view shows of a photo's stack: the strip of members the viewer sees (so every
member stays one click away), who may choose the cover or unstack, and the downloads it offers:
each original (the RAW, the JPEG) and a JPEG developed from the RAW where no JPEG came with it."""

from django.urls import reverse

from apps.core.querysets import Action

from ..models import Asset, Stack
from ..presentation import media_url
from .services import is_raw, live_partner, members_visible


def has_motion(asset: Asset, user) -> bool:
    return asset.kind == Asset.Kind.PHOTO and (asset.motion_photo or live_partner(asset, user) is not None)


def downloads(members: list[Asset]) -> list[dict]:
    photos = [m for m in members if m.kind == Asset.Kind.PHOTO]
    offered = [
        {"label": f"{'RAW' if is_raw(m) else m.filename.rsplit('.', 1)[-1].upper()} · {m.filename}",
         "url": reverse("asset-original", kwargs={"pk": m.pk})}
        for m in members
    ]
    raws = [m for m in photos if is_raw(m)]
    if raws and len(raws) == len(photos):  # nothing but RAWs: offer what a browser or a print shop opens
        offered.append({"label": "JPEG developed from the RAW", "url": reverse("asset-developed", kwargs={"pk": raws[0].pk})})
    return offered


def stack_context(user, asset: Asset) -> dict:
    """{"members", "count", "may_change", "downloads", "motion_url", "stack"} for templates/assets/_stack.html."""
    stack = Stack.objects.filter(pk=asset.stack_id).first() if asset.stack_id else None
    members = members_visible(stack, user) if stack else [asset]
    if asset not in members:  # a trashed member opened from the trash
        members = [asset]
    may_download = Asset.objects.filter(pk__in=[m.pk for m in members]).visible_to(user, Action.DOWNLOAD)
    downloadable = set(may_download.values_list("pk", flat=True))
    return {
        "stack": stack if len(members) > 1 else None,
        "members": [
            {"asset": m, "thumbnail": media_url(m, "thumbnail"), "cover": stack is not None and m.pk == stack.primary_id,
             "current": m.pk == asset.pk}
            for m in members
        ],
        "count": len(members),
        "may_change": stack is not None and Stack.objects.filter(pk=stack.pk).visible_to(user, Action.CHANGE).exists(),
        "downloads": downloads([m for m in members if m.pk in downloadable]),
        "motion_url": reverse("asset-motion", kwargs={"pk": asset.pk}) if has_motion(asset, user) else "",
    }
