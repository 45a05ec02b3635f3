"""The ingest pipeline: ordered stages run per asset, each recording its outcome in AssetStage.

A stage is a small class listed (by dotted path) in the `MEDIAHUB_PIPELINE_STAGES` setting:

    class ThumbnailStage(Stage):
        name = "thumbnail"                      # stable key stored in AssetStage.stage (<= 32 chars)
        def applies_to(self, asset) -> bool: ...  # cheap, no I/O
        def run(self, asset) -> None: ...        # idempotent; raise to record an error

A stage that gains from batching (model inference) also overrides `run_batch(assets)`: run_stages
hands it every asset of the task the stage is due on, in one call, and records each outcome.
A stage that may run for minutes (a transcode) sets `long_running = True`: a worker task leaves it
to a task of its own on the long queue (run_stages(defer_long=True) reports the assets it is due on).
A model stage (faces, CLIP) sets `inference = True`: a worker task of the default queue leaves it to a
task on the model inference queue (defer_inference), so a model backlog never delays thumbnails.
A stage whose name is paused (apps.core.pauses, the Jobs page) is not due: its assets stay pending
until it is resumed.

Each stage's attempt is written before it runs (attempts + 1, and the error it would leave if the
process died: "worker died N times while running <stage>") and its outcome right after, so a worker
killed mid-stage (the OOM killer on a huge panorama) leaves a row that says so. Such a row, with no
live worker holding its asset's lock, is requeued by apps/scanning/recovery.py, until MAX_ATTEMPTS.

`run_stages` skips stages already done, so a retried or doubled task costs a few queries, and a scan
killed half-way resumes where it stopped.
"""

import logging
import re
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.assets.models import Asset
from apps.core import pauses

from .models import AssetStage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a stage that failed this often is not retried until forced
ERROR_TEXT_LIMIT = 2000


class Stage:
    """Base class of pipeline stages. Subclasses set `name` and implement `run`."""

    name: str = ""
    long_running: bool = False  # may take minutes per asset: run by its own task on the long queue
    inference: bool = False  # runs a model: by its own task on the model inference queue

    def applies_to(self, asset: Asset) -> bool:
        return True

    def run(self, asset: Asset) -> None:
        raise NotImplementedError

    def run_batch(self, assets: list[Asset]) -> dict:
        """Run on several assets; returns {asset pk: exception} for those that failed, the rest are done.

        The default runs each asset in its own savepoint, so a database error in one cannot poison the
        connection the others use. An override does its own I/O in bulk and keeps its writes in its own
        transaction; an exception it raises fails every asset it was given.
        """
        failures = {}
        for asset in assets:
            try:
                with transaction.atomic():
                    self.run(asset)
            except Exception as exc:  # noqa: BLE001 - any stage failure is recorded, never raised
                failures[asset.pk] = exc
        return failures

    def __repr__(self):
        return f"<Stage {self.name}>"


@lru_cache(maxsize=1)
def _load_stages(paths: tuple[str, ...]) -> tuple[Stage, ...]:
    stages = []
    for path in paths:
        try:
            cls = import_string(path)
        except ImportError as exc:
            # Stages ship with the apps that own them; a missing one must not stop the others.
            logger.warning("pipeline stage %s is not available, skipped: %s", path, exc)
            continue
        stage = cls()
        if not stage.name or len(stage.name) > 32:
            raise ValueError(f"pipeline stage {path} needs a name of 1-32 characters, got {stage.name!r}")
        stages.append(stage)
    return tuple(stages)


def registered_stages() -> tuple[Stage, ...]:
    """The stage instances, in order, from `MEDIAHUB_PIPELINE_STAGES` (imported once per process)."""
    return _load_stages(tuple(getattr(settings, "MEDIAHUB_PIPELINE_STAGES", ())))


@receiver(setting_changed)
def _forget_stages(setting, **kwargs):
    if setting == "MEDIAHUB_PIPELINE_STAGES":
        _load_stages.cache_clear()


@dataclass
class StageReport:
    assets: int = 0
    ran: int = 0
    failed: int = 0
    skipped_busy: int = 0  # another worker held the asset
    vanished: int = 0  # deleted while the stages ran: dropped, not failed
    errors: list[dict] = field(default_factory=list)
    deferred: list = field(default_factory=list)  # asset ids a long-running stage is due on (defer_long)
    deferred_inference: list = field(default_factory=list)  # asset ids a model stage is due on


def run_stages(
    asset_ids: Iterable,
    stage_names: Iterable[str] | None = None,
    force: bool = False,
    defer_long: bool = False,
    defer_inference: bool = False,
) -> StageReport:
    """Run each applicable, not yet done stage on each asset, in pipeline order.

    `stage_names` limits the run to those stages; `force` re-runs stages already done and stages
    that failed MAX_ATTEMPTS times. One asset's failure never stops the batch. Each stage's attempts
    and outcomes are written in bulk before and after it runs, asset statuses once per call.
    `defer_long` skips long-running stages and lists the assets they are due on in `deferred`;
    `defer_inference` does the same for model stages, in `deferred_inference`. Paused stages are
    skipped (apps.core.pauses): their assets stay pending.
    """
    stages = registered_stages()
    if stage_names is not None:
        wanted = set(stage_names)
        unknown = wanted - {s.name for s in stages}
        if unknown:
            raise ValueError(f"unknown pipeline stage(s): {', '.join(sorted(unknown))}")
        selected = [s for s in stages if s.name in wanted]
    else:
        selected = list(stages)
    paused = pauses.paused_among(s.name for s in selected)
    selected = [s for s in selected if s.name not in paused]

    report = StageReport()
    asset_ids = [str(i) for i in asset_ids]
    found = (
        Asset.objects.filter(id__in=asset_ids).exclude(status=Asset.Status.MISSING).select_related("library")
    )
    order = {asset_id: n for n, asset_id in enumerate(asset_ids)}
    assets = sorted(found, key=lambda a: order[str(a.pk)])  # the caller's order, e.g. the walk's
    if not assets:
        return report
    # Locks first, then the stage rows: what is read as "not done" cannot be done by another
    # worker meanwhile, and a worker given the same assets skips them instead of waiting.
    locked = _try_lock_all([a.pk for a in assets])
    try:
        report.skipped_busy = len(assets) - len(locked)
        assets = [a for a in assets if a.pk in locked]
        existing = {(row.asset_id, row.stage): row for row in AssetStage.objects.filter(asset__in=assets)}
        report.assets = len(assets)
        deferred, deferred_inference = set(), set()
        # Stage by stage over the batch: each asset still sees its stages in pipeline order, and a
        # batching stage (run_batch) gets every asset it is due on at once.
        for stage in selected:
            due = [asset for asset in assets if _due(stage, asset, _row(existing, asset, stage), force)]
            if not due:
                continue
            if defer_inference and stage.inference:
                deferred_inference.update(asset.pk for asset in due)
                continue
            if defer_long and stage.long_running:
                deferred.update(asset.pk for asset in due)
                continue
            alive = _write_rows(_start_rows(stage, due, existing))
            failures, vanished = _run_batch(stage, [asset for asset in due if asset.pk in alive])
            vanished |= {asset.pk for asset in due} - alive
            if vanished:
                assets, due = _drop_vanished(vanished, assets, due, report)
            _record(stage, due, failures, existing, report)
            _write_rows([existing[(asset.pk, stage.name)] for asset in due])
        report.deferred = [asset.pk for asset in assets if asset.pk in deferred]
        report.deferred_inference = [asset.pk for asset in assets if asset.pk in deferred_inference]
        _save_statuses(assets, existing, stages)
    finally:
        _unlock_all(locked)
    return report


def _row(existing: dict, asset: Asset, stage: Stage) -> AssetStage:
    return existing.get((asset.pk, stage.name)) or AssetStage(asset=asset, stage=stage.name)


DIED = re.compile(r"^worker died (\d+) times? while running (\S+)$")


def died_text(stage_name: str, deaths: int) -> str:
    return f"worker died {deaths} time{'' if deaths == 1 else 's'} while running {stage_name}"


def deaths_in(error: str) -> int:
    """How many times in a row the process running this stage died (0: the last attempt ended)."""
    match = DIED.match(error or "")
    return int(match.group(1)) if match else 0


def _start_rows(stage: Stage, assets: list[Asset], existing: dict) -> list[AssetStage]:
    """The rows as they must read if this process dies while the stage runs: one attempt more, no
    longer done (a forced re-run is being redone), and the error saying it died once more."""
    rows = []
    for asset in assets:
        row = existing[(asset.pk, stage.name)] = _row(existing, asset, stage)
        row.attempts = min(row.attempts + 1, 32767)
        row.done_at = None
        row.error = died_text(stage.name, deaths_in(row.error) + 1)
        rows.append(row)
    return rows


def _write_rows(rows: list[AssetStage]) -> set:
    """Upsert stage rows in one statement, committed at once outside a transaction (a worker task);
    returns the ids of the assets written for.

    The assets are locked until it commits, so none can be deleted under it; one already deleted (a
    library or file removed while its stages ran) is left out: its row would break its foreign key.
    """
    now = timezone.now()
    with transaction.atomic():
        alive = set(
            Asset.objects.filter(pk__in={row.asset_id for row in rows})
            .select_for_update(no_key=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rows = [row for row in rows if row.asset_id in alive]
        for row in rows:
            row.updated = now  # bulk_create bypasses auto_now on conflict updates
        AssetStage.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["asset", "stage"],
            update_fields=["done_at", "error", "attempts", "updated"],
        )
    return alive


def _run_batch(stage: Stage, assets: list[Asset]) -> tuple[dict, set]:
    """({asset pk: exception} of the failures, pks of the assets deleted meanwhile).

    A failure on an asset that no longer exists (a library or file removed while its stages ran:
    a foreign key broken at commit, an UPDATE of no row) is not an error of the stage, and a batch
    that failed as a whole because of such an asset is run again without it.
    """
    if not assets:
        return {}, set()
    try:
        failures = stage.run_batch(assets)
    except Exception as exc:  # noqa: BLE001 - the whole batch failed: every asset records it
        vanished = _vanished([asset.pk for asset in assets])
        survivors = [asset for asset in assets if asset.pk not in vanished]
        if vanished and survivors:
            failures, more = _run_batch(stage, survivors)
            return failures, vanished | more
        failures = {asset.pk: exc for asset in assets}
    vanished = _vanished(list(failures)) if failures else set()
    return {pk: exc for pk, exc in failures.items() if pk not in vanished}, vanished


def _vanished(asset_ids: list) -> set:
    return set(asset_ids) - set(Asset.objects.filter(pk__in=asset_ids).values_list("pk", flat=True))


def _drop_vanished(vanished: set, assets: list, due: list, report: StageReport) -> tuple[list, list]:
    logger.info("%s asset(s) deleted while their stages ran; their results are dropped", len(vanished))
    report.vanished += len(vanished)
    return [a for a in assets if a.pk not in vanished], [a for a in due if a.pk not in vanished]


def _record(stage: Stage, assets: list[Asset], failures: dict, existing: dict, report: StageReport) -> None:
    for asset in assets:
        row = existing[(asset.pk, stage.name)]
        exc = failures.get(asset.pk)
        if exc is not None:
            row.done_at = None
            row.error = _error_text(exc)
            report.failed += 1
            report.errors.append({"asset": str(asset.pk), "stage": stage.name, "error": str(exc)})
            logger.warning("stage %s failed on %s: %s", stage.name, asset.pk, exc)
        else:
            row.done_at = timezone.now()
            row.error = ""
            report.ran += 1


def _due(stage: Stage, asset: Asset, row: AssetStage, force: bool) -> bool:
    if not stage.applies_to(asset):
        return False
    if force:
        return True
    if row.done_at is not None:
        return False
    return not (row.error and row.attempts >= MAX_ATTEMPTS)


def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    if len(text) < ERROR_TEXT_LIMIT:
        tail = "".join(traceback.format_exception(exc)[-3:])
        text = f"{text}\n{tail}"
    return text[:ERROR_TEXT_LIMIT]


def _status_of(asset: Asset, existing: dict, stages) -> tuple[str, str]:
    """(status, last_error) from the recorded outcome of every stage that applies to the asset."""
    errors = []
    all_done = True
    for stage in stages:
        if not stage.applies_to(asset):
            continue
        row = existing.get((asset.pk, stage.name))
        if row is None or row.done_at is None:
            all_done = False
            if row is not None and row.error:
                errors.append(f"{stage.name}: {row.error.splitlines()[0]}")
    if errors:
        return Asset.Status.ERROR, "; ".join(errors)[:ERROR_TEXT_LIMIT]
    return (Asset.Status.READY if all_done else Asset.Status.PENDING), ""


def refresh_statuses(asset_ids) -> int:
    """Recompute the status of these assets from their stage rows, running no stage (for rows that
    ended without a run_stages call to record them: a worker that died for the last time)."""
    assets = list(Asset.objects.filter(id__in=list(asset_ids)).exclude(status=Asset.Status.MISSING))
    existing = {(row.asset_id, row.stage): row for row in AssetStage.objects.filter(asset__in=assets)}
    _save_statuses(assets, existing, registered_stages())
    return len(assets)


def _save_statuses(assets: list[Asset], existing: dict, stages) -> None:
    changed_assets = []
    for asset in assets:
        status, last_error = _status_of(asset, existing, stages)
        if (asset.status, asset.last_error) != (status, last_error):
            asset.status, asset.last_error = status, last_error
            changed_assets.append(asset)
    # One UPDATE per distinct outcome (usually just "ready"), and only these two columns:
    # stages may have saved other fields of the same rows.
    groups: dict[tuple[str, str], list] = {}
    for asset in changed_assets:
        groups.setdefault((asset.status, asset.last_error), []).append(asset.pk)
    with transaction.atomic():
        for (status, last_error), ids in groups.items():
            Asset.objects.filter(pk__in=ids).update(
                status=status, last_error=last_error, updated=timezone.now()
            )


def _lock_key(asset_id) -> int:
    # Session advisory locks keyed on the asset: two workers given the same asset never run it twice.
    return int.from_bytes(asset_id.bytes[:8], "big", signed=True)


def locked_assets(asset_ids) -> set:
    """The subset of `asset_ids` some session holds the pipeline lock of, i.e. a live worker is
    running stages on (the lock goes with the session of a process that dies)."""
    by_key = {_lock_key(asset_id): asset_id for asset_id in asset_ids}
    if not by_key:
        return set()
    with connection.cursor() as cursor:
        # A bigint advisory key shows in pg_locks as classid (high 32 bits) and objid (low 32 bits).
        cursor.execute(
            "SELECT ((classid::bigint << 32) | objid::bigint) FROM pg_locks"
            " WHERE locktype = 'advisory' AND objsubid = 1 AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        held = {key - (1 << 64) if key >= 1 << 63 else key for (key,) in cursor.fetchall()}
    return {asset_id for key, asset_id in by_key.items() if key in held}


def _try_lock_all(asset_ids) -> set:
    """The subset of `asset_ids` this session could lock (one query for the whole batch)."""
    if not asset_ids:
        return set()
    by_key = {_lock_key(asset_id): asset_id for asset_id in asset_ids}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT k FROM unnest(%s::bigint[]) AS k WHERE pg_try_advisory_lock(k)", [list(by_key)]
        )
        return {by_key[k] for (k,) in cursor.fetchall()}


def _unlock_all(asset_ids) -> None:
    if not asset_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_unlock(k) FROM unnest(%s::bigint[]) AS k", [[_lock_key(i) for i in asset_ids]]
        )
