from django.apps import AppConfig


class ScanningConfig(AppConfig):
    name = "apps.scanning"
    label = "scanning"

    def ready(self):
        # Connects the worker clusters' tick to the reconciliation of scans and pipeline stages.
        from . import recovery  # noqa: F401
