"""The steps of an operation, worked out before anything is touched: every refusal (a name that
exists, a move into itself, a source that is not there) is raised here, so a refused operation
leaves the disk and the index as they were. Paths here are real relative paths (see paths.py);
the journal stores them as Asset.path does.
"""

import os
from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.assets.metadata.sidecars import Folder, is_sidecar_name, renamed
from apps.core.errors import BadInput, Conflict, NotFound

from ..media_types import classify
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
    return with_sidecars(root, [Planned(Step.MOVE, relative, target, is_dir=is_dir)], "name")


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
    steps = [Planned(Step.MOVE, source, target, is_dir=is_dir) for source, target, is_dir in targets]
    return with_sidecars(root, steps, "destination")


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
    return with_sidecars(root, steps, "destination")


def flatten(root: str, folder: str) -> list[Planned]:
    """Every file in the folders below `folder` moved into `folder` itself; a name already taken
    there (or by an earlier file of the plan) gets ' (1)', ' (2)'... before its extension. A photo
    and its sidecars get the same number (`a (1).jpg`, `a (1).jpg.xmp`), so they stay a pair."""
    existing_folder(root, folder, "path")
    with os.scandir(paths.absolute(root, folder)) as listing:
        taken = {entry.name for entry in listing}
    steps = []
    for sub, files in walk(root, folder):
        if sub == folder:
            continue
        for group in _pairs([name for name, _size in files]):
            names = _free_names(group, taken)
            taken.update(names)
            steps += [Planned(Step.MOVE, f"{sub}/{name}", paths.join(folder, new))
                      for name, new in zip(group, names, strict=True)]
    return steps


def _pairs(names: list[str]) -> list[list[str]]:
    """The files of one folder in groups that keep together: a file and its sidecars (and the other
    files reading a sidecar they share), the file first; every other file alone. In name order."""
    listing = Folder(names)
    leader = {name: name for name in names}

    def find(name):
        while leader[name] != name:
            name = leader[name]
        return name

    for name in sorted(names):
        for sidecar in listing.sidecars(name):
            leader[find(sidecar)] = find(name)
    groups: dict[str, list[str]] = {}
    for name in sorted(names, key=lambda n: (is_sidecar_name(n), n)):
        groups.setdefault(find(name), []).append(name)
    return sorted(groups.values(), key=min)


def _free_names(group: list[str], taken: set[str]) -> list[str]:
    """The group's names with the lowest number (none, then 1, 2...) that leaves all of them free."""
    files = [name for name in group if not is_sidecar_name(name)]
    number = 0
    while True:
        names = [_numbered(name, number, files) for name in group]
        if not taken.intersection(names):
            return names
        number += 1


def _numbered(name: str, number: int, files: list[str]) -> str:
    if not number:
        return name
    for owner in files:  # a sidecar follows its file's new name
        if is_sidecar_name(name) and (name.startswith(f"{owner}.") or
                                      os.path.splitext(name)[0] == os.path.splitext(owner)[0]):
            return renamed(name, owner, _numbered(owner, number, []))
    stem, ext = os.path.splitext(name)
    return f"{stem} ({number}){ext}"


def with_sidecars(root: str, steps: list[Planned], field: str) -> list[Planned]:
    """Each file's step followed by the same step for its XMP sidecars (the pairing rule of
    apps/assets/metadata/sidecars.py), renamed as the file is and refused (409) as the file would
    be when their new name is taken. A move leaves a sidecar that a file staying behind reads too
    (IMG_1.xmp of IMG_1.jpg and IMG_1.cr2); a sidecar named among the sources, or in a folder
    copied whole, is not planned twice."""
    leaving: dict[str, set[str]] = {}
    for s in steps:
        if not s.is_dir:
            leaving.setdefault(paths.parent(s.source), set()).add(paths.name_of(s.source))
    sources = {s.source for s in steps}
    targets = {s.target: s.source for s in steps}
    folders: dict[str, Folder] = {}
    planned = []
    for s in steps:
        planned.append(s)
        name, folder = paths.name_of(s.source), paths.parent(s.source)
        if s.is_dir or not s.source or is_sidecar_name(name) or classify(name) is None:
            continue
        if folder not in folders:
            folders[folder] = Folder(_file_names(root, folder))
        listing = folders[folder]
        going = listing.sidecars(name) if s.step == Step.COPY else listing.going_with(name, leaving[folder])
        for sidecar in going:
            source = paths.join(folder, sidecar)
            target = paths.join(paths.parent(s.target), renamed(sidecar, name, paths.name_of(s.target)))
            if source in sources or target == source:
                continue
            if target in targets:
                raise Conflict(_("'%(a)s' and '%(b)s' would have the same name")
                               % {"a": targets[target], "b": source})
            if _exists(root, target, field) and not _same_entry(root, source, target):
                raise Conflict(_("'%(path)s' already exists") % {"path": target})
            sources.add(source)
            targets[target] = source
            size = _size(root, source) if s.step == Step.COPY else 0
            planned.append(Planned(s.step, source, target, size=size))
    return planned


def _file_names(root: str, folder: str) -> list[str]:
    """The folder's photos, videos and sidecars: the files that read sidecars, and the sidecars."""
    with os.scandir(paths.absolute(root, folder)) as listing:
        return [e.name for e in listing if not e.name.startswith(".") and e.is_file(follow_symlinks=False)
                and (classify(e.name) or is_sidecar_name(e.name))]


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
