from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "apps.assets"
    label = "assets"

    def ready(self):
        from apps.scanning.signals import scan_added_files

        from .duplicates.services import find_when_quiet

        # The Duplicates page fills itself: a scan that added files asks for a search.
        scan_added_files.connect(find_when_quiet, dispatch_uid="duplicates-after-scans")
