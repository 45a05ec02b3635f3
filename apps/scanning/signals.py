"""What scanning tells other apps without importing them."""

from django.dispatch import Signal

# A scan finished having added (or changed) files: the duplicate search listens
# (apps/assets/apps.py), so the Duplicates page fills itself. Sent with `run` (the ScanRun).
scan_added_files = Signal()
