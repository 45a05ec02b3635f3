"""Prometheus metrics of MediaHub's own: counters the code increments, and gauges read from the
database at scrape time (ScrapeCollector), so a scrape always tells the state tables' truth and
nothing is computed between scrapes.

django-prometheus adds requests, latency and database metrics. Its database metrics come from an
engine wrapper, which MediaHub's embedded engine (mediahub.embedded_db) is not; they are recorded
here instead by an execute wrapper each connection gets when it opens (`count_queries`), into
django-prometheus's own metric objects, so the names are the usual ones whatever the engine.
"""

import time
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django_prometheus.db import metrics as db_metrics
from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily

UPLOAD_BYTES = Counter("mediahub_upload_bytes", "Bytes received by uploads (single and tus)")
UPLOADS = Counter("mediahub_uploads", "Uploads finished, by result", ["result"])
THROUGHPUT_WINDOW = timedelta(minutes=5)


def record_upload(received_bytes: int, result: str = "stored") -> None:
    """For the upload code (apps/scanning/uploads/services.py): `received_bytes` came in (a whole
    file or a tus chunk); `result` of a finished upload ("created", "duplicate"), or "" for a chunk."""
    if received_bytes > 0:
        UPLOAD_BYTES.inc(received_bytes)
    if result:
        UPLOADS.labels(result=result).inc()


# -- database queries -----------------------------------------------------------------------------
def _query_metrics(execute, sql, params, many, context):
    connection = context["connection"]
    labels = {"alias": connection.alias, "vendor": connection.vendor}
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    except Exception as exc:
        db_metrics.errors_total.labels(type=type(exc).__name__, **labels).inc()
        raise
    finally:
        db_metrics.execute_total.labels(**labels).inc(len(params) if many and params else 1)
        if many:
            db_metrics.execute_many_total.labels(**labels).inc(len(params) if params else 0)
        db_metrics.query_duration_seconds.labels(**labels).observe(time.perf_counter() - started)


def count_queries(sender, connection, **kwargs) -> None:
    """connection_created receiver: this connection's queries are counted and timed."""
    if _query_metrics not in connection.execute_wrappers:
        connection.execute_wrappers.append(_query_metrics)
        db_metrics.connections_total.labels(alias=connection.alias, vendor=connection.vendor).inc()


# -- gauges read at scrape time -------------------------------------------------------------------
class ScrapeCollector:
    """Assets by status and kind, queue depth per queue, jobs per kind and state, stage throughput
    and scan speed: each a few indexed queries (tests/benchmarks/bench_jobs.py times them)."""

    def collect(self):
        from .services import jobs, queues, system  # the registry is built before apps are ready

        yield self._assets()
        waiting = GaugeMetricFamily("mediahub_queue_waiting", "Tasks waiting in a queue", labels=["queue"])
        claimed = GaugeMetricFamily(
            "mediahub_queue_claimed", "Tasks a cluster took and has not finished (ORM broker)", labels=["queue"]
        )
        for queue, depth in queues.depths().items():
            waiting.add_metric([queue], depth["waiting"])
            if depth["claimed"] is not None:
                claimed.add_metric([queue], depth["claimed"])
        yield waiting
        yield claimed
        yield from self._jobs(jobs.overview()["kinds"])
        yield from self._throughput()
        scan = GaugeMetricFamily(
            "mediahub_scan_files_per_second", "Files walked per second by the scans of the last hour"
        )
        scan.add_metric([], system.scan_rate(timezone.now() - timedelta(hours=1)))
        yield scan

    def _assets(self):
        from apps.assets.models import Asset

        family = GaugeMetricFamily(
            "mediahub_assets", "Assets by status and kind (trash excluded)", labels=["status", "kind"]
        )
        rows = (
            Asset.objects.filter(deleted_at__isnull=True)
            .order_by()
            .values("status", "kind")
            .annotate(n=Count("pk"))
            .values_list("status", "kind", "n")
        )
        for status, kind, count in rows:
            family.add_metric([status, kind], count)
        return family

    def _jobs(self, kinds):
        family = GaugeMetricFamily(
            "mediahub_jobs", "Work per job kind and state (the Jobs page's counts)", labels=["kind", "state"]
        )
        paused = GaugeMetricFamily("mediahub_job_paused", "1 when a job kind is paused", labels=["kind"])
        for kind in kinds:
            for state in ("queued", "running", "failed", "done"):
                family.add_metric([kind["name"], state], kind[state])
            paused.add_metric([kind["name"]], 1 if kind["paused"] else 0)
        yield family
        yield paused

    def _throughput(self):
        from apps.scanning.models import AssetStage
        from apps.scanning.pipeline import registered_stages

        since = timezone.now() - THROUGHPUT_WINDOW
        # By stage name: the (stage, done_at) index serves each name's range; done_at alone has none.
        names = [stage.name for stage in registered_stages()]
        rows = (
            AssetStage.objects.filter(stage__in=names, done_at__gte=since)
            .order_by()
            .values("stage")
            .annotate(n=Count("pk"))
            .values_list("stage", "n")
        )
        rate = GaugeMetricFamily(
            "mediahub_stage_throughput",
            "Assets per second a stage completed over the last 5 minutes",
            labels=["stage"],
        )
        for stage, count in rows:
            rate.add_metric([stage], count / THROUGHPUT_WINDOW.total_seconds())
        yield rate
