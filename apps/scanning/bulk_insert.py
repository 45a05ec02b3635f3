"""New assets written with COPY: a first scan inserts thousands of rows per batch, and
bulk_create spends most of its time preparing ~45 parameters per row in Python.

The rows go through a temporary table so a conflict on (library, path) (a row another process
inserted meanwhile) skips that row instead of failing the batch.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from apps.assets.models import Asset

STAGING_TABLE = "mediahub_scan_new_assets"


@dataclass(slots=True)
class NewFile:
    """A file not in the index yet, hashed and ready to become an Asset row."""

    path: str
    filename: str
    kind: str
    mime: str
    size: int
    mtime: dt.datetime
    content_hash: str
    pk: uuid.UUID = field(default_factory=uuid.uuid4)


def _row_template() -> tuple[list[str], list]:
    """Every column of the asset table with the value a fresh Asset() would store."""
    blank = Asset()
    fields = [f for f in Asset._meta.concrete_fields if not f.generated]  # PostgreSQL computes those
    return [f.column for f in fields], [
        f.get_db_prep_save(getattr(blank, f.attname), connection) for f in fields
    ]


def insert_new_assets(library_id: int, files: list[NewFile]) -> int:
    """Insert the files as pending assets; returns how many rows were really inserted."""
    if not files:
        return 0
    columns, template = _row_template()
    position = {column: n for n, column in enumerate(columns)}
    now = timezone.now()
    fixed = {
        "library_id": library_id,
        "status": Asset.Status.PENDING,
        "created": now,
        "updated": now,
        "taken_at_source": "mtime",
    }
    for column, value in fixed.items():
        template[position[column]] = value
    column_list = ", ".join(f'"{c}"' for c in columns)
    table = Asset._meta.db_table
    with connection.cursor() as cursor:
        # Created and dropped per batch, so it always matches the table's current columns.
        cursor.execute(f'CREATE TEMP TABLE {STAGING_TABLE} (LIKE "{table}")')
        try:
            with cursor.cursor.copy(f"COPY {STAGING_TABLE} ({column_list}) FROM STDIN") as copy:
                for new in files:
                    row = list(template)
                    row[position["id"]] = new.pk
                    row[position["path"]] = new.path
                    row[position["filename"]] = new.filename
                    row[position["kind"]] = new.kind
                    row[position["mime"]] = new.mime
                    row[position["size"]] = new.size
                    row[position["mtime"]] = new.mtime
                    row[position["content_hash"]] = new.content_hash
                    # Shown in the timeline at once; the metadata stage replaces it with the capture time.
                    row[position["taken_at"]] = new.mtime
                    copy.write_row(row)
            cursor.execute(
                f'INSERT INTO "{table}" ({column_list}) SELECT {column_list} FROM {STAGING_TABLE} ON CONFLICT DO NOTHING'
            )
            return cursor.rowcount
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
