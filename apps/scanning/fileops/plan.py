"""The steps of an operation, worked out before anything is touched: every refusal (a name that
exists, a move into itself, a source that is not there) is raised here, so a refused operation
leaves the disk and the index as they were. Paths here are real relative paths (see paths.py);
the journal stores them as Asset.path does.
"""

import os
from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.core.errors import BadInput, Conflict, NotFound

from ..models import FileOperationItem
from . import paths

Step = FileOperationItem.Step


@dataclass(frozen=True)
class Planned:
    step: str
    source: str  # real relative path ('' for a folder to make)
    target: str
    is_dir: bool = False
    size: int = 0  # bytes a copy writes


def _exists(root: str, relative: str, field: str) -> bool:
    return os.path.lexists(paths.absolute(root, relative, field))


def _is_dir(root: str, relative: str, field: str = "path") -> bool:
    absolute = paths.absolute(root, relative, field)
    return os.path.isdir(absolute) and not os.path.islink(absolute)


def existing_folder(root: str, relative: str, field: str) -> str:
    if not _is_dir(root, relative, field):
        raise NotFound(_("folder '%(path)s' not found") % {"path": relative or "/"})
    return relative


def existing_source(root: str, relative: str, field: str) -> bool:
    """Whether the source is a folder; NotFound when it is not there (or is a link, which no
    operation follows)."""
    absolute = paths.absolute(root, relative, field)
    if not os.path.lexists(absolute) or os.path.islink(absolute):
        raise NotFound(_("'%(path)s' not found in the library") % {"path": relative})
    return os.path.isdir(absolute)


def make_folder(root: str, relative: str) -> list[Planned]:
    existing_folder(root, paths.parent(relative), "path")
    if _exists(root, relative, "path"):
        raise Conflict(_("'%(path)s' already exists") % {"path": relative})
    return [Planned(Step.MKDIR, "", relative, is_dir=True)]


def rename(root: str, relative: str, name: str) -> list[Planned]:
    is_dir = existing_source(root, relative, "path")
    target = paths.join(paths.parent(relative), paths.check_name(name))
    if target == relative:
        raise BadInput(_("it already has that name"), field="name")
    if _exists(root, target, "name") and not _same_entry(root, relative, target):
        raise Conflict(_("'%(path)s' already exists") % {"path": target})
    return [Planned(Step.MOVE, relative, target, is_dir=is_dir)]


def _same_entry(root: str, a: str, b: str) -> bool:
    """A rename that only changes case on a case-insensitive file system finds its own file."""
    try:
        return os.path.samestat(os.lstat(paths.absolute(root, a)), os.lstat(paths.absolute(root, b)))
    except OSError:
        return False


def _targets(root: str, sources: list[str], destination: str, verb: str) -> list[tuple[str, str, bool]]:
    """(source, target, is_dir) of each source put into the folder `destination`, all checked."""
    existing_folder(root, destination, "destination")
    planned, seen = [], {}
    for source in sources:
        is_dir = existing_source(root, source, "paths")
        if is_dir and paths.inside(destination, source):
            message = _("cannot %(verb)s folder '%(path)s' into itself") % {"verb": verb, "path": source}
            raise BadInput(message, field="destination")
        if paths.parent(source) == destination and verb == "move":
            raise BadInput(_("'%(path)s' is already in that folder") % {"path": source}, field="destination")
        target = paths.join(destination, paths.name_of(source))
        if target in seen:
            raise Conflict(_("'%(a)s' and '%(b)s' would have the same name") % {"a": seen[target],
                                                                                  "b": source})
        if _exists(root, target, "destination"):
            raise Conflict(_("'%(path)s' already exists") % {"path": target})
        seen[target] = source
        planned.append((source, target, is_dir))
    return planned


def _no_nesting(sources: list[str]) -> list[str]:
    """Sources without those inside another source (moved with it already): one set lookup per
    folder above each source, not a comparison of every pair (10,000 files took 100 s that way)."""
    unique = set(sources)

    def below_another(source: str) -> bool:
        parts = source.split("/")
        return any("/".join(parts[:n]) in unique for n in range(1, len(parts)))

    return [s for s in sorted(unique) if not below_another(s)]


def move(root: str, sources: list[str], destination: str) -> list[Planned]:
    targets = _targets(root, _no_nesting(sources), destination, "move")
    return [Planned(Step.MOVE, source, target, is_dir=is_dir) for source, target, is_dir in targets]


def copy(root: str, sources: list[str], destination: str) -> list[Planned]:
    steps = []
    for source, target, is_dir in _targets(root, _no_nesting(sources), destination, "copy"):
        if not is_dir:
            steps.append(Planned(Step.COPY, source, target, size=_size(root, source)))
            continue
        steps.append(Planned(Step.MKDIR, "", target, is_dir=True))
        for folder, files in walk(root, source):
            below = folder[len(source):]
            if below:
                steps.append(Planned(Step.MKDIR, "", target + below, is_dir=True))
            steps += [Planned(Step.COPY, f"{folder}/{name}", f"{target}{below}/{name}", size=size)
                      for name, size in files]
    return steps


def flatten(root: str, folder: str) -> list[Planned]:
    """Every file in the folders below `folder` moved into `folder` itself; a name already taken
    there (or by an earlier file of the plan) gets ' (1)', ' (2)'... before its extension."""
    existing_folder(root, folder, "path")
    with os.scandir(paths.absolute(root, folder)) as listing:
        taken = {entry.name for entry in listing}
    steps = []
    for sub, files in walk(root, folder):
        if sub == folder:
            continue
        for name, _size in files:
            free = free_name(name, taken)
            taken.add(free)
            steps.append(Planned(Step.MOVE, f"{sub}/{name}", paths.join(folder, free)))
    return steps


def free_name(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    stem, ext = os.path.splitext(name)
    number = 1
    while f"{stem} ({number}){ext}" in taken:
        number += 1
    return f"{stem} ({number}){ext}"


def walk(root: str, top: str):
    """(folder, [(file name, size)]) for `top` and each folder below it, parents first: regular
    files only, hidden entries and symbolic links left where they are (as the scan walker does)."""
    pending = [top]
    while pending:
        folder = pending.pop(0)
        files, subfolders = [], []
        with os.scandir(paths.absolute(root, folder)) as listing:
            for entry in listing:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(paths.join(folder, entry.name))
                elif entry.is_file(follow_symlinks=False):
                    files.append((entry.name, entry.stat(follow_symlinks=False).st_size))
        yield folder, sorted(files)
        pending += sorted(subfolders)


def _size(root: str, relative: str) -> int:
    return os.lstat(paths.absolute(root, relative)).st_size
