"""Duplicate groups: the job that finds them, and the review actions (keep one, keep all, stack).

Called by the find_duplicates command, its django-q2 task, the API and the review page alike.
Groups never mix library owners: acting on a group needs the right to change every member
(`DuplicateGroup.objects.visible_to(user, Action.CHANGE)`), and only an owner (or a superadmin) may
change an owner's files.
"""

import hashlib
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.aggregates import BoolOr
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils import timezone
from django_q.models import Schedule
from django.utils.translation import gettext as _

from apps.assets.metadata.colour import is_flat
from apps.assets.models import Asset, AssetUserState, DuplicateGroup, DuplicateMember, Stack
from apps.assets.stacks import services as stacks
from apps.core.errors import BadInput, Conflict
from apps.core.queue import SHORT, enqueue, waiting
from apps.core.querysets import Action, check_action
from apps.scanning.models import Library

from . import clip_evidence
from .grouping import hamming, near_components

logger = logging.getLogger(__name__)

BATCH = 5000  # rows streamed per round trip while reading hashes


@dataclass
class FindReport:
    exact: int = 0
    near: int = 0
    created: int = 0
    unchanged: int = 0
    removed: int = 0
    dismissed_before: int = 0
    owners: int = 0

    def summary(self) -> str:
        return (
            f"{self.exact} exact and {self.near} near groups ({self.created} new, {self.unchanged} unchanged, "
            f"{self.removed} gone, {self.dismissed_before} dismissed earlier) over {self.owners} owners"
        )


@dataclass
class FoundGroup:
    kind: str
    members: list[dict]  # {"id", "phash", "content_hash", "width", "height", "size"}
    signature: str = field(init=False)

    def __post_init__(self):
        ids = ",".join(sorted(str(m["id"]) for m in self.members))
        self.signature = hashlib.sha256(f"{self.kind}:{ids}".encode()).hexdigest()


def near_threshold() -> int:
    return settings.MEDIAHUB_DUPLICATE_PHASH_THRESHOLD


def _candidates(owner_id):
    """What may be grouped: an owner's indexed, present, not trashed assets; a stack counts as its
    cover alone (a RAW and its JPEG, or a burst, are one photo, not duplicates of each other)."""
    return Asset.objects.filter(
        library__owner_id=owner_id, deleted_at__isnull=True, covered_by__isnull=True
    ).exclude(status=Asset.Status.MISSING)


FIELDS = ("id", "phash", "content_hash", "width", "height", "size")


def _exact_groups(owner_id) -> list[FoundGroup]:
    repeated = (
        _candidates(owner_id).exclude(content_hash="").values("content_hash")
        .annotate(n=Count("pk")).filter(n__gt=1).values("content_hash")
    )
    rows = _candidates(owner_id).filter(content_hash__in=repeated).order_by("content_hash", "id").values(*FIELDS)
    return [
        FoundGroup(DuplicateGroup.Kind.EXACT, list(members))
        for _, members in itertools.groupby(rows.iterator(chunk_size=BATCH), key=lambda r: r["content_hash"])
    ]


def _near_groups(owner_id, threshold: int) -> list[FoundGroup]:
    by_hash: dict[int, list[dict]] = {}
    rows = _candidates(owner_id).filter(phash__isnull=False).values(*FIELDS, "colour_histogram")
    for row in rows.iterator(chunk_size=BATCH):
        if is_flat(row.pop("colour_histogram")):
            continue  # blank frames: only byte-identical copies (exact groups) are duplicates
        by_hash.setdefault(row["phash"], []).append(row)
    if clip_evidence.has_embeddings(_candidates(owner_id).values("pk")):
        found = clip_evidence.components(by_hash, threshold)
    else:
        found = [[row for value in component for row in by_hash[value]] for component in near_components(by_hash, threshold)]
    groups = []
    for members in found:
        # Byte-identical files alone are an exact group already; near needs a real difference.
        if len(members) > 1 and len({m["content_hash"] for m in members}) > 1:
            groups.append(FoundGroup(DuplicateGroup.Kind.NEAR, members))
    return groups


def _best(members: list[dict]) -> dict:
    """The one to suggest keeping: most pixels, then the biggest file; the id breaks ties so reruns agree."""
    return max(members, key=lambda m: ((m["width"] or 0) * (m["height"] or 0), m["size"], str(m["id"])))


def _member_rows(group: DuplicateGroup, found: FoundGroup) -> list[DuplicateMember]:
    reference = _best(found.members)
    rows = []
    for m in found.members:
        both_hashed = m["phash"] is not None and reference["phash"] is not None
        rows.append(DuplicateMember(
            group=group, asset_id=m["id"], is_reference=m["id"] == reference["id"],
            distance=hamming(m["phash"], reference["phash"]) if both_hashed else None,
            hash_match=bool(m["content_hash"]) and m["content_hash"] == reference["content_hash"],
        ))
    return rows


@transaction.atomic
def _store(owner_id, found: list[FoundGroup], report: FindReport) -> None:
    """Open groups become exactly `found`; a set dismissed or resolved before is not proposed again."""
    known = {(g.kind, g.signature): g for g in DuplicateGroup.objects.select_for_update().filter(owner_id=owner_id)}
    wanted = {(f.kind, f.signature) for f in found}
    stale = [g.pk for key, g in known.items() if g.resolved_at is None and key not in wanted]
    report.removed += DuplicateGroup.objects.filter(pk__in=stale).delete()[1].get("assets.DuplicateGroup", 0)
    for f in found:
        existing = known.get((f.kind, f.signature))
        if existing is not None:
            if existing.resolved_at is None:
                report.unchanged += 1
            else:
                report.dismissed_before += 1
            continue
        group = DuplicateGroup.objects.create(owner_id=owner_id, kind=f.kind, signature=f.signature)
        DuplicateMember.objects.bulk_create(_member_rows(group, f))
        report.created += 1


def find_duplicates(threshold: int | None = None, owners=None, progress: Callable | None = None) -> FindReport:
    """Rebuild the open duplicate groups of every library owner (or of `owners`). Idempotent."""
    threshold = near_threshold() if threshold is None else threshold
    owner_ids = sorted(set(Library.objects.values_list("owner_id", flat=True)))
    if owners is not None:
        owner_ids = [o for o in owner_ids if o in {getattr(u, "pk", u) for u in owners}]
    report = FindReport()
    for owner_id in owner_ids:
        exact, near = _exact_groups(owner_id), _near_groups(owner_id, threshold)
        report.exact += len(exact)
        report.near += len(near)
        report.owners += 1
        _store(owner_id, exact + near, report)
        if progress:
            progress(owner_id)
    logger.info("find_duplicates: %s", report.summary())
    return report


def queue_find_duplicates(threshold: int | None = None) -> str:
    """Hand find_duplicates to a worker; returns the task id."""
    return enqueue(
        "apps.assets.duplicates.tasks.find_duplicates_task", threshold,
        key=f"find-duplicates-{threshold if threshold is not None else 'default'}", group="duplicates",
    )


AFTER_SCANS_SCHEDULE = "Find duplicates after scans that added files"


def find_when_quiet(**_signal) -> None:
    """A scan added files: search for duplicates MEDIAHUB_DUPLICATES_DELAY seconds after the last
    such scan (one schedule row pushed later by each), so the Duplicates page fills itself and an
    import of many scans ends in one search, not one per scan. Connected to scan_added_files."""
    delay = settings.MEDIAHUB_DUPLICATES_DELAY
    if delay <= 0:
        queue_find_duplicates()
        return
    Schedule.objects.update_or_create(
        name=AFTER_SCANS_SCHEDULE,
        defaults={
            "func": "apps.assets.duplicates.tasks.find_duplicates_if_idle",
            "schedule_type": Schedule.ONCE,
            "repeats": -1,  # a ONCE schedule with negative repeats deletes itself after running
            "next_run": timezone.now() + timezone.timedelta(seconds=delay),
        },
    )


def find_if_idle() -> str:
    """The search find_when_quiet asked for, handed to the long queue once the pipeline has computed
    the new files' hashes: while pipeline work still waits in the queue it asks again later instead."""
    if waiting(SHORT):
        find_when_quiet()
        return "pipeline still busy: duplicate search postponed"
    return f"duplicate search queued as task {queue_find_duplicates()}"


# --- reading ---------------------------------------------------------------------------------

def with_counts(groups):
    """Groups annotated with their member count and what keeping only the largest would free."""
    alive = Q(members__asset__deleted_at__isnull=True)
    return groups.annotate(
        member_count=Count("members", filter=alive),
        total_bytes=Sum("members__asset__size", filter=alive),
        largest_bytes=Max("members__asset__size", filter=alive),
    )


def groups_for(user, resolved: bool | None = False):
    """Groups the user may see (open, resolved or, with None, both), with member count and recoverable bytes."""
    groups = DuplicateGroup.objects.visible_to(user)
    if resolved is not None:
        groups = groups.filter(resolved_at__isnull=not resolved)
    groups = with_counts(groups)
    return still_duplicates(groups) if resolved is False else groups


def still_duplicates(groups):
    """Open groups (annotated by with_counts) with two or more members outside the trash: trashing
    all but one photo of a group leaves nothing to review (a restore brings the group back)."""
    return groups.filter(member_count__gte=2)


def recoverable(group) -> int:
    return (group.total_bytes or 0) - (group.largest_bytes or 0)


def summary(user) -> dict:
    groups = groups_for(user)
    rows = list(groups.values_list("kind", "total_bytes", "largest_bytes"))
    members = DuplicateMember.objects.filter(group__in=groups.values("pk"), asset__deleted_at__isnull=True)
    assets = members.values("asset").distinct().count()
    return {
        "groups": len(rows),
        "exact_groups": sum(1 for kind, *_ in rows if kind == DuplicateGroup.Kind.EXACT),
        "near_groups": sum(1 for kind, *_ in rows if kind == DuplicateGroup.Kind.NEAR),
        "assets": assets,
        "recoverable_bytes": sum((total or 0) - (largest or 0) for _, total, largest in rows),
    }


def members_of(group) -> list[DuplicateMember]:
    return list(group.members.select_related("asset", "asset__library"))


def with_members(groups):
    """Groups with their members and assets read in one more query for the whole page."""
    return groups.prefetch_related(
        Prefetch("members", queryset=DuplicateMember.objects.select_related("asset", "asset__library"))
    )


# --- acting ----------------------------------------------------------------------------------

def _open_group_for_change(user, group: DuplicateGroup) -> list[DuplicateMember]:
    """The members of a group `user` may resolve: Refused without the right to change every one of
    them, Conflict once the group is resolved."""
    check_action(group, user, Action.CHANGE)
    if group.resolved_at is not None:
        raise Conflict(_("this group was already resolved (%(resolution)s)")
                       % {"resolution": group.resolution})
    return members_of(group)


def _pick(members, asset_id) -> Asset:
    chosen = asset_id or next(m.asset_id for m in members if m.is_reference)
    for m in members:
        if str(m.asset_id) == str(chosen):
            return m.asset
    raise BadInput(_("asset %(chosen)s is not in this group") % {"chosen": chosen}, field="asset")


def _union_user_states(kept: Asset, others: list[Asset]) -> None:
    """Per user: favourite if any copy was, the highest rating any copy had."""
    merged = AssetUserState.objects.filter(asset__in=[kept, *others]).values("user").annotate(
        any_favourite=BoolOr("favorite"), best_rating=Max("rating")
    )
    # The kept copy is among the aggregated rows, so the aggregate is each user's final state.
    AssetUserState.objects.bulk_create(
        [
            AssetUserState(user_id=row["user"], asset=kept, favorite=bool(row["any_favourite"]),
                           rating=row["best_rating"] or 0)
            for row in merged
        ],
        update_conflicts=True,
        unique_fields=["user", "asset"],
        update_fields=["favorite", "rating", "updated"],
    )


def _copy_location(kept: Asset, others: list[Asset]) -> None:
    if kept.latitude is not None:
        return
    donor = next((a for a in others if a.latitude is not None and a.longitude is not None), None)
    if donor:
        kept.latitude, kept.longitude, kept.altitude = donor.latitude, donor.longitude, donor.altitude
        kept.save(update_fields=["latitude", "longitude", "altitude"])


# What "keep one" carries from the trashed copies to the kept one. Albums and tags append their
# own merge(kept, others) here when those models exist (album memberships, tag links).
METADATA_MERGES: list[Callable[[Asset, list[Asset]], None]] = [_union_user_states, _copy_location]


def _resolve(group, resolution, kept=None) -> None:
    group.resolved_at, group.resolution, group.kept = timezone.now(), resolution, kept
    group.save(update_fields=["resolved_at", "resolution", "kept"])


@transaction.atomic
def keep_one(user, group: DuplicateGroup, asset_id=None) -> Asset:
    """Keep one member (default: the suggested one), move the others to the trash, union their metadata."""
    members = _open_group_for_change(user, group)
    kept = _pick(members, asset_id)
    others = [m.asset for m in members if m.asset_id != kept.pk]
    for merge in METADATA_MERGES:
        merge(kept, others)
    Asset.objects.filter(pk__in=[a.pk for a in others], deleted_at__isnull=True).update(deleted_at=timezone.now())
    stacks.refresh(stacks.stacks_of([a.pk for a in others]))  # a trashed cover hands over its stack
    _resolve(group, DuplicateGroup.Resolution.KEPT_ONE, kept)
    # Other open groups holding a trashed copy are out of date; the next run proposes what is left.
    DuplicateGroup.objects.open().filter(members__asset__in=others).exclude(pk=group.pk).delete()
    return kept


@transaction.atomic
def keep_all(user, group: DuplicateGroup) -> None:
    """Dismiss: these files are meant to be alike; the same set is not proposed again."""
    _open_group_for_change(user, group)
    _resolve(group, DuplicateGroup.Resolution.KEPT_ALL)


@transaction.atomic
def stack(user, group: DuplicateGroup, asset_id=None) -> Stack:
    """Keep every file, shown as one stack with the chosen (default: suggested) member on top."""
    members = _open_group_for_change(user, group)
    primary = _pick(members, asset_id)
    # Stacks the members were in are merged into this one.
    new_stack = stacks.join([m.asset for m in members], kind=Stack.Kind.DUPLICATES, cover=primary)
    _resolve(group, DuplicateGroup.Resolution.STACKED, primary)
    return new_stack
