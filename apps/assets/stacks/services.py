"""Making, changing and taking apart stacks; keeping each member's `covered_by` in step.

A stack's cover is `Stack.primary`; every other member carries `covered_by = cover`, which is what
lists filter on (one column, no join). Trashing the cover promotes another member; restoring it
brings it back as a member of the same stack (membership is never dropped by the trash). A stack
left with fewer than two members is taken apart.
"""

from collections.abc import Iterable
from pathlib import PurePosixPath

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from apps.core.errors import BadInput, NotFound, Refused
from apps.core.querysets import Action

from ..derivatives.images import RAW_EXTENSIONS
from ..models import Asset, Stack

MAX_MEMBERS = 1000


def is_raw(asset: Asset) -> bool:
    return PurePosixPath(asset.filename).suffix.lower() in RAW_EXTENSIONS


def cover_rank(asset: Asset) -> tuple:
    """The member that stands for a stack: a photo before a video (a live photo's still), a JPEG
    before its RAW (what a browser shows as it is), then the first taken."""
    taken = asset.taken_at.timestamp() if asset.taken_at else float("inf")
    return (asset.kind != Asset.Kind.PHOTO, is_raw(asset), taken, asset.filename)


def kind_of(members: list[Asset]) -> str:
    kinds = {m.kind for m in members}
    if Asset.Kind.VIDEO in kinds and Asset.Kind.PHOTO in kinds:
        return Stack.Kind.LIVE
    raws = {is_raw(m) for m in members}
    if raws == {True, False} and len(members) == 2:
        return Stack.Kind.RAW_JPEG
    return Stack.Kind.BURST


def refresh(stack_ids: Iterable[int]) -> None:
    """Settle these stacks after members came, went or were trashed: a live cover (the current one
    while it is alive, else the best alive member), `covered_by` on the others, and no stack of one."""
    for stack in Stack.objects.filter(pk__in=set(stack_ids) - {None}):
        members = list(Asset.objects.filter(stack=stack))
        if len(members) < 2:
            _dissolve(stack)
            continue
        alive = [m for m in members if m.deleted_at is None]
        current = next((m for m in alive if m.pk == stack.primary_id), None)
        cover = current or (min(alive, key=cover_rank) if alive else None)
        if cover is None:  # all trashed: keep the cover that comes back with a restore
            cover = next((m for m in members if m.pk == stack.primary_id), None) or min(members, key=cover_rank)
        if stack.primary_id != cover.pk:
            Stack.objects.filter(pk=stack.pk).update(primary=cover)
        Asset.objects.filter(stack=stack).exclude(pk=cover.pk).exclude(covered_by=cover).update(covered_by=cover)
        Asset.objects.filter(pk=cover.pk, covered_by__isnull=False).update(covered_by=None)


def _dissolve(stack: Stack) -> None:
    Asset.objects.filter(stack=stack).update(stack=None, covered_by=None)
    stack.delete()


def stacks_of(asset_ids) -> set[int]:
    ids = Asset.objects.filter(pk__in=list(asset_ids), stack__isnull=False).values_list("stack_id", flat=True)
    return set(ids)


@transaction.atomic
def join(assets: list[Asset], kind: str | None = None, cover: Asset | None = None) -> Stack:
    """One stack holding `assets` and every member of the stacks they are already in."""
    previous = sorted({a.stack_id for a in assets} - {None})
    stack = Stack.objects.filter(pk__in=previous).order_by("pk").first() if previous else None
    members = {a.pk: a for a in assets}
    for member in Asset.objects.filter(stack_id__in=previous):
        members.setdefault(member.pk, member)
    members = list(members.values())
    kind = kind or (stack.kind if stack and stack.kind == Stack.Kind.MANUAL else kind_of(members))
    if stack is None:
        stack = Stack.objects.create(kind=kind)
    elif stack.kind != kind:
        Stack.objects.filter(pk=stack.pk).update(kind=kind)
    Asset.objects.filter(pk__in=[m.pk for m in members]).update(stack=stack)
    for gone in previous:
        if gone != stack.pk:
            Stack.objects.filter(pk=gone).delete()
    if cover is not None or stack.primary_id not in {m.pk for m in members}:
        alive = [m for m in members if m.deleted_at is None] or members
        Stack.objects.filter(pk=stack.pk).update(primary=cover or min(alive, key=cover_rank))
    refresh([stack.pk])
    stack.refresh_from_db()
    return stack


def _changeable(user, asset_ids, field="assets") -> list[Asset]:
    """The assets, alive and each one the user may change: unknown or invisible ids are a 404,
    seen but not theirs a 403, so a stack never joins someone else's files."""
    wanted = set(asset_ids)
    seen = Asset.objects.visible_to(user).alive().filter(pk__in=wanted)
    if missing := wanted - set(seen.values_list("pk", flat=True)):
        raise NotFound(_("no such photo: %(names)s") % {"names": ', '.join(sorted(map(str, missing)))})
    mine = list(seen.visible_to(user, Action.CHANGE))
    if len(mine) != len(wanted):
        raise Refused(_("only the owner of every photo can stack them"))
    return mine


def stack_by_hand(user, asset_ids, cover_id=None) -> Stack:
    """A stack of the chosen photos (and of the stacks they were in) with `cover_id` on top."""
    ids = list(dict.fromkeys(asset_ids))
    if len(ids) < 2:
        raise BadInput(_("choose at least two photos to stack"), field="assets")
    if len(ids) > MAX_MEMBERS:
        raise BadInput(_("at most %(MAX_MEMBERS)s photos in one stack")
                       % {"MAX_MEMBERS": MAX_MEMBERS}, field="assets")
    if cover_id is not None and cover_id not in ids:
        raise BadInput(_("the cover must be one of the chosen photos"), field="cover")
    assets = _changeable(user, ids)
    cover = next((a for a in assets if a.pk == cover_id), None)
    with transaction.atomic():
        Asset.objects.filter(pk__in=ids, unstacked=True).update(unstacked=False)
        return join(assets, kind=Stack.Kind.MANUAL, cover=cover)


@transaction.atomic
def unstack(stack: Stack) -> int:
    """Take a stack apart by hand: its members become single photos again and automatic stacking
    leaves them alone from now on. Returns how many photos were in it."""
    count = Asset.objects.filter(stack=stack).update(stack=None, covered_by=None, unstacked=True)
    stack.delete()
    return count


def unstack_assets(user, asset_ids) -> int:
    """Take apart the stacks of the chosen photos (a selection of stack tiles is a selection of covers)."""
    assets = _changeable(user, list(dict.fromkeys(asset_ids)))
    stacks = Stack.objects.filter(pk__in={a.stack_id for a in assets} - {None})
    changeable = stacks.visible_to(user, Action.CHANGE)
    if changeable.count() != stacks.count():
        raise Refused(Stack.objects.refusal)
    return sum(unstack(stack) for stack in changeable)


@transaction.atomic
def set_cover(stack: Stack, asset_id) -> Stack:
    member = Asset.objects.alive().filter(stack=stack, pk=asset_id).first()
    if member is None:
        raise BadInput(_("the cover must be a member of the stack that is not in the trash"), field="cover")
    Stack.objects.filter(pk=stack.pk).update(primary=member)
    refresh([stack.pk])
    stack.refresh_from_db()
    return stack


def members_visible(stack: Stack, user):
    """The members the user sees (alive), cover first: a stack never shows a member the caller cannot see."""
    members = Asset.objects.visible_to(user).alive().filter(stack=stack)
    return sorted(members, key=lambda m: (m.pk != stack.primary_id, m.taken_at is None, m.taken_at, m.filename))


def hidden_behind_cover(shown) -> Q:
    """The members a list leaves out, `shown` being the list (visible to its user, filtered): each
    stack shows once, as its cover when the cover is in the list, else (an album that holds only
    some members, a filter only some match) as the member of the list with the smallest id."""
    cover_shown = Exists(shown.filter(pk=OuterRef("covered_by")))
    earlier_shown = Exists(shown.filter(covered_by=OuterRef("covered_by"), pk__lt=OuterRef("pk")))
    return Q(covered_by__isnull=False) & (Q(cover_shown) | Q(earlier_shown))


def visible_counts(user, stack_ids) -> dict[int, int]:
    """Stack id -> how many members the user sees: the badge never counts what they cannot see."""
    rows = (
        Asset.objects.visible_to(user).alive().filter(stack_id__in=set(stack_ids) - {None})
        .values("stack_id").annotate(n=Count("pk")).order_by()
    )
    return {row["stack_id"]: row["n"] for row in rows}


def live_partner(asset: Asset, user) -> Asset | None:
    """The video of a live photo's still, among the members of its stack the user sees."""
    if not asset.stack_id or asset.kind != Asset.Kind.PHOTO:
        return None
    videos = Asset.objects.visible_to(user).alive().filter(stack_id=asset.stack_id, kind=Asset.Kind.VIDEO)
    return videos.exclude(pk=asset.pk).order_by("taken_at", "pk").first()


def visible_count(user):
    """An expression for a row's stack: how many members the user sees (NULL outside a stack)."""
    members = (
        Asset.objects.visible_to(user).alive().filter(stack_id=OuterRef("stack_id"))
        .values("stack_id").annotate(n=Count("pk")).values("n")
    )
    return Subquery(members)


def one_per_stack(assets, user):
    """`assets` with a stack shown once (see hidden_behind_cover), each row carrying `stack_count`
    for its badge: what the asset FilterSet does by default, for grids that do not go through it."""
    shown = assets.order_by()
    return assets.exclude(hidden_behind_cover(shown)).annotate(stack_count=visible_count(user))
