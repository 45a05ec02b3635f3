"""Moving BENCH_FILEOPS_FILES files (default 10,000) of a writable library into another folder as
ONE file operation (the selection-bar or API move of that many files): the plan (the request's part:
every source and target checked, the journal written) and the job (each file renamed, its asset
re-pathed in the same transaction, the search documents rewritten), then the index checked against
the disk: as many assets as files, the same ids, and the paths on disk the paths in the database.
For comparison, moving the folder that holds them all is one rename and one UPDATE.

Run on demand:  .venv/bin/pytest tests/benchmarks/bench_fileops.py -s
"""

import os
import time

import pytest
from django.db import connection

from apps.assets.models import Asset
from apps.scanning.bulk_insert import NewFile, insert_new_assets
from apps.scanning.fileops import services as fileops
from apps.scanning.scanner import from_ns
from tests.scanning.test_fileops import indexed, on_disk

FILES = int(os.environ.get("BENCH_FILEOPS_FILES", 10_000))

pytestmark = pytest.mark.django_db


def make_library(library, root) -> list[str]:
    """FILES small files in 10 folders, indexed as the scanner's insert indexes them."""
    names, rows = [], []
    for n in range(FILES):
        relative = f"from/{n % 10}/IMG_{n:06d}.jpg"
        absolute = root / relative
        absolute.parent.mkdir(parents=True, exist_ok=True)
        absolute.write_bytes(n.to_bytes(4, "big"))
        stat = absolute.stat()
        rows.append(NewFile(path=relative, filename=absolute.name, kind="photo", mime="image/jpeg",
                            size=stat.st_size, mtime=from_ns(stat.st_mtime_ns), content_hash=f"{n:064x}"))
        names.append(relative)
    insert_new_assets(library.pk, rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assets_asset")
    return names


def test_moving_ten_thousand_files_is_one_job_and_leaves_the_index_consistent(library, library_root, user):
    library.read_only = False
    library.save()
    names = make_library(library, library_root)
    (library_root / "to").mkdir()
    ids = set(Asset.objects.filter(library=library).values_list("pk", flat=True))

    started = time.perf_counter()
    operation = fileops.move(user, library.pk, "to", raw_paths=names)
    planned = time.perf_counter() - started
    assert operation.state == "queued" and operation.total == FILES
    started = time.perf_counter()
    operation = fileops.run_queued(operation.pk)  # what the worker's task runs
    ran = time.perf_counter() - started

    assert (operation.state, operation.done, operation.failed) == ("done", FILES, 0)
    assert Asset.objects.filter(library=library).count() == FILES
    assert set(Asset.objects.filter(library=library).values_list("pk", flat=True)) == ids
    assert on_disk(library_root) == indexed(library)
    assert Asset.objects.filter(library=library, directory="to").count() == FILES

    started = time.perf_counter()
    folder = fileops.move(user, library.pk, "from", raw_paths=["to"])  # the folder holding them all, back
    whole = time.perf_counter() - started
    assert folder.state == "done" and on_disk(library_root) == indexed(library)

    print(f"\nFIGURE move of {FILES} files as one job: plan {planned:.2f} s + job {ran:.2f} s = "
          f"{planned + ran:.2f} s ({FILES / (planned + ran):.0f} files/s); index consistent")
    print(f"FIGURE move of the folder holding them (one rename): {whole:.2f} s")
