"""Files of read-only libraries deleted for good, which scans must not index again.

MediaHub never writes into a read-only library, so deleting one of its files for good only forgets
the index entry: the file stays in the folder and the next scan (full, the watcher's, the nightly
one) would find it as new. Its path is remembered here instead, per library, and every scan leaves
it out until a manager includes it again. By path: the same bytes under another name are another
file, and are indexed.
"""

from .models import IgnoredPath, Library


def ignore(assets) -> int:
    """Remember the paths of these assets (of read-only libraries; others are skipped)."""
    rows = [IgnoredPath(library_id=a.library_id, path=a.path) for a in assets if a.library.read_only]
    IgnoredPath.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def ignored_paths(library: Library) -> set[str]:
    """The stored paths (Asset.path form) a scan of `library` leaves out."""
    return set(IgnoredPath.objects.filter(library=library).values_list("path", flat=True))


def of_library(library: Library):
    return IgnoredPath.objects.filter(library=library).order_by("path")


def include_again(library: Library, ids) -> int:
    """Forget these entries: the next scan indexes their files. Ids of other libraries are ignored."""
    deleted, _ = IgnoredPath.objects.filter(library=library, pk__in=list(ids)).delete()
    return deleted
