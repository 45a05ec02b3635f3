from django.apps import AppConfig
from django.db.backends.signals import connection_created


class StatsConfig(AppConfig):
    name = "apps.stats"
    label = "stats"

    def ready(self):
        from .metrics import count_queries

        # Database query metrics for any engine, the embedded one included (apps/stats/metrics.py).
        connection_created.connect(count_queries, dispatch_uid="mediahub-query-metrics")
