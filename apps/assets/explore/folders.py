"""A library's folder tree, read from the assets' paths (no table of folders to keep in step with
the disk): a folder's subfolders with how many files each holds (all depths) and a cover, and how
many files sit directly in it. The folder's own files are the asset list with `directory=`.

Both read the `asset_directory` index (library, folder, taken_at, id): a folder of 10,000 files
pages in timeline order, and subfolders are a prefix range of it (tests/benchmarks/bench_explore.py)."""

import os
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.db.models import Count
from django.utils.translation import gettext as _

from apps.core.errors import BadInput
from apps.core.paths import PathOutsideRoot, confine
from apps.core.querysets import get_visible
from apps.scanning.fsnames import needs_encoding
from apps.scanning.models import Library

from ..models import Asset


@dataclass
class Subfolder:
    name: str
    path: str
    count: int
    cover: Asset | None = None


@dataclass
class Folder:
    library: Library
    path: str
    count: int  # files directly inside
    folders: list[Subfolder] = field(default_factory=list)

    @property
    def breadcrumbs(self) -> list[tuple[str, str]]:
        """(name, path) from the library root down to this folder."""
        crumbs = [(self.library.name, "")]
        parts = PurePosixPath(self.path).parts if self.path else ()
        crumbs += [(part, "/".join(parts[: i + 1])) for i, part in enumerate(parts)]
        return crumbs

    @property
    def parent(self) -> str | None:
        if not self.path:
            return None
        return self.path.rpartition("/")[0]


def clean_path(raw: str | None) -> str:
    """A folder path relative to a library root, without leading/trailing slashes. A path that
    could leave the root (absolute, `..`, NUL) is bad input, never clipped into something else."""
    raw = raw or ""
    parts = raw.strip("/").split("/") if raw.strip("/") else []
    if raw.startswith("/") or "\x00" in raw or any(part in ("", ".", "..") for part in parts):
        raise BadInput(_("a folder path inside the library, without '..' or a leading '/'"), field="path")
    return "/".join(parts)


def in_directory(assets, path: str):
    """The assets directly in folder `path` (not in its subfolders)."""
    return assets.filter(directory=path)


def folder(user, library_id, raw_path: str | None) -> Folder:
    """The folder of a library the user sees through libraries (a photo shared through an album
    does not open its folder); NotFound for a library they do not see."""
    path = clean_path(raw_path)
    library = get_visible(Library.objects.all(), user, pk=library_id)
    try:
        confine(library.root_path, path)  # the same rule as every other path a user hands us
    except (PathOutsideRoot, RuntimeError, OSError):
        raise BadInput(_("the folder is outside the library"), field="path") from None
    assets = Asset.objects.filter(library=library).alive()
    prefix = f"{path}/" if path else ""
    # Two index-only scans of asset_directory; one with an OR would read the rows themselves.
    own = assets.filter(directory=path).count()
    below = assets.filter(directory__startswith=prefix) if path else assets.exclude(directory="")
    counts, biggest = {}, {}
    for directory, count in below.values_list("directory").annotate(count=Count("pk")).order_by():
        name = directory[len(prefix):].split("/", 1)[0]
        counts[name] = counts.get(name, 0) + count
        if count > biggest.get(name, ("", 0))[1]:
            biggest[name] = (directory, count)
    result = Folder(library, path, own)
    if not library.read_only:
        for name in _folders_on_disk(library, path):
            counts.setdefault(name, 0)
    for name in sorted(counts, key=str.casefold):
        # The cover: the newest file of the subfolder's fullest folder, one probe of the index.
        cover = None
        if name in biggest:  # an empty folder on disk has none
            cover = assets.filter(directory=biggest[name][0]).order_by("-taken_at", "-id").first()
        result.folders.append(Subfolder(name, f"{prefix}{name}", counts[name], cover))
    return result


def _folders_on_disk(library: Library, path: str) -> list[str]:
    """The subfolders on disk of a writable library's folder, empty ones too: a folder just made
    (apps/scanning/fileops) holds no photo yet but is where the next move goes. One listing of one
    folder; read-only libraries are shown from the index alone."""
    try:
        with os.scandir(confine(library.root_path, path)) as listing:
            return [entry.name for entry in listing
                    if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
                    and not needs_encoding(entry.name)]
    except OSError:
        return []


def may_change_files(user, library: Library) -> bool:
    """Whether the page offers the file operations: a writable library whose files the user may
    change (the API refuses the rest anyway)."""
    return not library.read_only and Library.objects.files_changeable_by(user).filter(pk=library.pk).exists()
