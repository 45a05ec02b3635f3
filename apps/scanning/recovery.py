"""The state tables are the truth, the queue is a cache of them: rebuild what the queue lost.

Runs in each worker cluster's sentinel when it starts and every MEDIAHUB_RECONCILE_INTERVAL seconds
(apps.core.qcluster's `cluster_tick`), and right after a worker died. The cluster serving the long
queue looks after scans, the one serving the default queue after pipeline stages:

- a running scan whose worker is gone (liveness.py) is failed and a fresh scan of its library is
  queued, which picks up what the dead one left (at most MAX_RESTARTS in a row for a library);
- queued scans are vouched for, and queued again when their task may have been lost: at start
  (the task may have been handed to the cluster that died), or when nothing waits in the queue;
- a stage row that says its worker died, with no live worker holding the asset's lock, is queued
  again for that asset alone (so the asset that kills its worker no longer takes its batch down
  with it), until it has used MAX_ATTEMPTS; then the asset's status records the error. An asset
  whose only died stages are model stages goes straight back to the inference queue;
- pending assets nobody holds are queued again, but only when no queue has a task waiting (else
  they are most likely in one), and only those last touched before this cluster started or two
  intervals ago (the rest may still be on their way to a worker).

Duplicates are cheap by design: run_stages skips what is done and what another worker holds, and a
scan task runs only if it can claim its queued run.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from apps.assets.models import Asset
from apps.core import pauses
from apps.core.qcluster.signals import cluster_tick
from apps.core.queue import LONG, QUEUES, SHORT, queue_of, waiting

from . import liveness, services
from .fileops import services as fileops
from .models import AssetStage, Library, ScanRun
from .pipeline import MAX_ATTEMPTS, deaths_in, locked_assets, refresh_statuses, registered_stages

logger = logging.getLogger(__name__)

MAX_RESTARTS = 3  # scans of one library in a row whose process vanished before one is restarted no more
CHUNK = 2000


@receiver(cluster_tick)
def reconcile_on_tick(sender, queue: str, starting: bool, handed_out: int, started=None, **kwargs) -> None:
    kind = queue_of(queue)
    if kind == LONG:
        report = reconcile_scans(starting=starting, handed_out=handed_out)
        report.update(fileops.reconcile(starting=starting, handed_out=handed_out))
    elif kind == SHORT:
        report = reconcile_stages(starting=starting, handed_out=handed_out, started=started)
    else:
        return
    if any(report.values()):
        logger.info("reconciled the %s queue with the state tables: %s", queue, report)


# -- scans -------------------------------------------------------------------------------------
def reconcile_scans(starting: bool = False, handed_out: int = 0) -> dict:
    liveness.vouch_for_queued()
    failed = restarted = 0
    for run in ScanRun.objects.filter(state=ScanRun.State.RUNNING).select_related("library"):
        if liveness.is_stale(run) and services.fail_stale(run):
            failed += 1
            restarted += _restart(run)
    requeued = 0
    # A scan of some folders waits on the default queue (services.scan_queue), whose tasks this
    # (long) cluster never holds: only an empty default queue says its task was lost.
    idle = {LONG: handed_out == 0 and waiting(LONG) == 0, SHORT: waiting(SHORT) == 0}
    settled = timezone.now() - timedelta(seconds=2 * settings.MEDIAHUB_RECONCILE_INTERVAL)
    for run in ScanRun.objects.filter(state=ScanRun.State.QUEUED):
        queue = services.scan_queue(run)
        if (starting and queue == LONG) or (idle[queue] and run.created < settled):
            services.enqueue_scan(run)
            requeued += 1
    return {"scans failed": failed, "scans restarted": restarted, "scans requeued": requeued}


def _restart(run: ScanRun) -> int:
    library = run.library
    if library.paused:
        return 0
    recent = list(library.scan_runs.order_by("-created")[:MAX_RESTARTS])
    if len(recent) == MAX_RESTARTS and all(liveness.vanished(r) for r in recent):
        logger.error(
            "the last %d scans of %s died with their worker: not restarted again", MAX_RESTARTS, library
        )
        return 0
    try:
        services.start_scan(library, full=run.full)
    except services.ScanConflict:
        return 0
    return 1


# -- pipeline stages ---------------------------------------------------------------------------
def reconcile_stages(starting: bool = False, handed_out: int = 0, started=None) -> dict:
    retried, finished = requeue_died()
    pending = 0
    # A paused stage leaves its assets pending on purpose; resuming it sends them (the Jobs page).
    paused = pauses.paused_among(stage.name for stage in registered_stages())
    if handed_out == 0 and not paused and all(waiting(queue) == 0 for queue in QUEUES):
        # Pending assets untouched since before this cluster started cannot be in its hands (those
        # of the cluster it replaces were lost); others only once they have settled.
        settled = timezone.now() - timedelta(seconds=2 * settings.MEDIAHUB_RECONCILE_INTERVAL)
        since = None if starting else max(settled, started) if started else settled
        pending = requeue_pending(settled_before=since, skip=retried)
    return {
        "died stages retried": len(retried),
        "died stages given up": finished,
        "pending requeued": pending,
    }


def died_rows(stage_names):
    """Stage rows left by a process that died while running them (see pipeline.died_text). By stage
    name and done_at, so the assetstage_pending index finds them among millions of rows."""
    return (
        AssetStage.objects.filter(
            stage__in=stage_names, done_at__isnull=True, error__startswith="worker died "
        )
        .exclude(asset__status=Asset.Status.MISSING)
        .select_related("asset__library")
    )


def requeue_died() -> tuple[set, int]:
    """Queue each asset with a died stage row again, alone; record the error of those out of
    attempts. Returns (asset ids queued, assets given up)."""
    stages = {stage.name: stage for stage in registered_stages()}
    retry, give_up, quick = set(), set(), set()
    for row in died_rows(list(stages)):
        stage = stages[row.stage]
        if not deaths_in(row.error) or not stage.applies_to(row.asset):
            continue  # nothing would ever run it again
        if row.attempts < MAX_ATTEMPTS:
            retry.add(row.asset_id)
            if not stage.inference:
                quick.add(row.asset_id)
        elif row.asset.status != Asset.Status.ERROR:
            give_up.add(row.asset_id)
    busy = locked_assets(retry | give_up)
    retry -= busy
    give_up -= busy | retry
    models = [stage.name for stage in stages.values() if stage.inference]
    for asset_id in retry:
        if asset_id in quick:
            services.enqueue_stages([asset_id])  # its default-queue task sends model stages on
        else:
            services.enqueue_stages([asset_id], stage_names=models, ml=True)
    if give_up:
        refresh_statuses(give_up)
        logger.warning("gave up on %d asset(s) whose worker died %d times", len(give_up), MAX_ATTEMPTS)
    return retry, len(give_up)


def requeue_pending(settled_before=None, skip=frozenset()) -> int:
    """Queue again the pending assets no worker holds, outside libraries being scanned right now."""
    scanning = [
        run.library_id
        for run in ScanRun.objects.filter(state=ScanRun.State.RUNNING)
        if not liveness.is_stale(run)
    ]
    sent, chunk = 0, []
    for library_id in Library.objects.exclude(pk__in=scanning).values_list("pk", flat=True):
        # Per library: the asset_library_status index serves (library, status) on any PostgreSQL.
        pending = Asset.objects.filter(library_id=library_id, status=Asset.Status.PENDING)
        if settled_before is not None:
            pending = pending.filter(updated__lt=settled_before)
        for asset_id in pending.order_by().values_list("id", flat=True).iterator(chunk_size=CHUNK):
            if asset_id not in skip:
                chunk.append(asset_id)
            if len(chunk) >= CHUNK:
                sent += _send_unlocked(chunk)
                chunk = []
    if chunk:
        sent += _send_unlocked(chunk)
    return sent


def _send_unlocked(asset_ids: list) -> int:
    busy = locked_assets(asset_ids)
    unlocked = [asset_id for asset_id in asset_ids if asset_id not in busy]
    if unlocked:
        services.enqueue_stages(unlocked)
    return len(unlocked)
