"""Metadata edits: title, description, capture time and location set by a user (services.py), kept
as overrides of the file's values (apps/assets/metadata/overrides.py), and written to an XMP sidecar
in writable libraries when MEDIAHUB_WRITE_SIDECARS is on (sidecar.py)."""
