"""Series to cull: shots of one moment, each with a suggested best by the quality score.

A series is either
- a stack of shots (a burst, or a stack made by hand): all its members the caller sees; RAW+JPEG
  pairs, live photos and kept duplicates are one shot in several files, so they count as one photo;
- or a capture-time run: photos of the same camera, each at most RUN_GAP after the one before and
  with a pHash at most RUN_BITS bits from it (a photographer's "a few more of the same"), two or more.

Series are found walking the caller's photos newest first by keyset on (taken_at, id), so a page
costs the same at any depth. A page ends only where nothing was taken for RUN_GAP (no run is cut in
two); the walk reads at most MAX_SCAN photos per page and then stops at the next such gap, so a
library with few series answers with fewer series and a cursor to go on.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from apps.core import keyset

from ..models import Asset, Stack
from ..user_state import mark_states

KINDS = ("burst", "stack", "similar")  # of a series; the API's SeriesKindEnum
RUN_GAP = timedelta(seconds=10)
RUN_BITS = 12  # of 64 pHash bits: the same scene; a burst's frames differ by 0-8, another subject by 25+
SERIES_STACKS = (Stack.Kind.BURST, Stack.Kind.MANUAL)
MAX_SCAN = 5000
CHUNK = 500
MASK = (1 << 64) - 1
FIELDS = ("id", "filename", "taken_at", "camera_make", "camera_model", "phash", "stack", "covered_by", "quality",
          "content_hash", "user_rotation", "width", "height")


@dataclass
class Series:
    kind: str  # "burst", "stack" (made by hand) or "similar" (a capture-time run)
    key: str
    members: list = field(default_factory=list)
    best: Asset | None = None

    @property
    def taken_at(self) -> datetime | None:
        return max((member.taken_at for member in self.members if member.taken_at is not None), default=None)


@dataclass
class SeriesPage:
    series: list
    next_cursor: str | None


def distance(a: int | None, b: int | None) -> int:
    if a is None or b is None:
        return 64
    return ((a ^ b) & MASK).bit_count()


def best_of(members: list[Asset]) -> Asset | None:
    """The highest score; the earliest shot among equals (members come in the order they were taken,
    and max keeps the first of equals). None while no member is scored."""
    scored = [m for m in members if m.quality is not None]
    return max(scored, key=lambda m: m.quality, default=None)


class _Walk:
    """One page's walk: open runs per camera, closed at every quiet gap."""

    def __init__(self, stack_kinds: dict):
        self.stack_kinds = stack_kinds
        self.open: dict[tuple, list] = {}
        self.found: list[Series] = []

    def add(self, asset: Asset) -> None:
        if asset.stack_id and self.stack_kinds.get(asset.stack_id) in SERIES_STACKS:
            kind = "burst" if self.stack_kinds[asset.stack_id] == Stack.Kind.BURST else "stack"
            self.found.append(Series(kind, f"stack-{asset.stack_id}", [asset]))
            return
        camera = (asset.camera_make, asset.camera_model)
        if not asset.camera_model or asset.phash is None:
            return
        run = self.open.get(camera)
        last = run[-1] if run else None
        if last and last.taken_at - asset.taken_at <= RUN_GAP and distance(last.phash, asset.phash) <= RUN_BITS:
            run.append(asset)
            return
        self.close(camera)
        self.open[camera] = [asset]

    def close(self, camera) -> None:
        run = self.open.pop(camera, None)
        if run and len(run) > 1:
            run.reverse()  # in the order they were taken
            self.found.append(Series("similar", f"run-{run[0].pk}", run))

    def close_all(self) -> None:
        for camera in list(self.open):
            self.close(camera)


def page(shown, visible, user, cursor: str | None, size: int) -> SeriesPage:
    """`size` series or fewer from `shown` (the caller's filtered list, a stack as its cover) after
    `cursor`; stack members come from `visible` (everything the caller sees). ValueError: a bad cursor."""
    photos = shown.filter(kind=Asset.Kind.PHOTO, taken_at__isnull=False).only(*FIELDS)
    previous, scanned, next_cursor = None, 0, None
    stack_kinds: dict = {}
    walk = _Walk(stack_kinds)
    while True:
        chunk = keyset.page(photos, "taken_at", True, cursor, CHUNK)
        ids = {a.stack_id for a in chunk.items if a.stack_id and a.stack_id not in stack_kinds}
        stack_kinds.update(Stack.objects.filter(pk__in=ids).values_list("pk", "kind"))
        for asset in chunk.items:
            if previous is not None and previous.taken_at - asset.taken_at > RUN_GAP:
                walk.close_all()
                if len(walk.found) >= size or scanned >= MAX_SCAN:
                    next_cursor = keyset.encode_cursor(previous.taken_at, previous.pk)
                    break
            walk.add(asset)
            previous, scanned = asset, scanned + 1
        else:
            if chunk.next_cursor is not None and scanned < 4 * MAX_SCAN:
                cursor = chunk.next_cursor
                continue
            walk.close_all()
            if chunk.next_cursor is not None:
                next_cursor = keyset.encode_cursor(previous.taken_at, previous.pk)
        break
    found = walk.found  # may pass `size` by the runs one gap closed together: none is cut off
    _fill_stacks(found, visible)
    found = [s for s in found if len(s.members) > 1]
    members = [m for series in found for m in series.members]
    mark_states(members, user)
    for series in found:
        series.best = best_of(series.members)
    found.sort(key=lambda s: s.members[0].taken_at if s.members else None, reverse=True)
    return SeriesPage(found, next_cursor)


def _fill_stacks(found: list[Series], visible) -> None:
    """A stack series holds its cover alone until here: one query for every member of them all."""
    stacks = {int(s.key.removeprefix("stack-")): s for s in found if s.key.startswith("stack-")}
    if not stacks:
        return
    rows = visible.filter(stack_id__in=stacks, kind=Asset.Kind.PHOTO).only(*FIELDS).order_by("taken_at", "pk")
    for series in stacks.values():
        series.members = []
    for asset in rows:
        stacks[asset.stack_id].members.append(asset)
