"""Which XMP sidecar goes with which file: the one pairing rule, for the metadata reader (the
sidecar a photo's fields come from), the edits writer, file operations (a photo's sidecars move,
copy and rename with it) and deletion for good.

A file `IMG_1.jpg` reads `IMG_1.jpg.xmp` (darktable, digiKam, MediaHub) first, then `IMG_1.xmp`
(Lightroom, Capture One); the upper-case `.XMP` of each too. `IMG_1.xmp` may be the sidecar of
`IMG_1.jpg` and `IMG_1.cr2` at once (a RAW+JPEG pair): it "holds" both, and code that moves or
deletes one of them leaves it for the other.
"""

import os
from pathlib import Path


def sidecar_names(name: str) -> list[str]:
    """The names a sidecar of the file `name` may have, in the order the reader tries them."""
    stem = os.path.splitext(name)[0]
    candidates = [f"{name}.xmp", f"{name}.XMP", f"{stem}.xmp", f"{stem}.XMP"]
    return [c for c in dict.fromkeys(candidates) if c != name]


def sidecar_of(path: Path) -> Path | None:
    """The .xmp beside a file, if any (the first of sidecar_names that is a file)."""
    for name in sidecar_names(path.name):
        candidate = path.with_name(name)
        if candidate.is_file():
            return candidate
    return None


def is_sidecar_name(name: str) -> bool:
    return name.lower().endswith(".xmp")


class Folder:
    """The sidecars among a folder's file names, for deciding which go with which files: who holds
    each (every file of the folder that has it among its sidecar_names). Callers give the names of
    the files that matter: the assets (the only files whose sidecars are read) and the sidecars."""

    def __init__(self, names):
        self.names = set(names)
        by_stem: dict[str, list[str]] = {}
        for name in self.names:
            if not is_sidecar_name(name):
                by_stem.setdefault(os.path.splitext(name)[0], []).append(name)
        self._by_stem = by_stem

    def sidecars(self, name: str) -> list[str]:
        """The sidecars of `name` present in the folder (every one, not only the one the reader uses)."""
        if is_sidecar_name(name):
            return []
        return [c for c in sidecar_names(name) if c in self.names]

    def holders(self, sidecar: str) -> set[str]:
        """The files of the folder that have `sidecar` among their sidecars."""
        if not is_sidecar_name(sidecar):
            return set()
        base = sidecar[: -len(".xmp")]
        found = set(self._by_stem.get(base, ()))  # IMG_1.xmp: IMG_1.jpg, IMG_1.cr2
        if base in self.names and not is_sidecar_name(base):
            found.add(base)  # IMG_1.jpg.xmp: IMG_1.jpg
        return {name for name in found if sidecar in sidecar_names(name)}

    def going_with(self, name: str, leaving) -> list[str]:
        """The sidecars that go where `name` goes when the files `leaving` (names in this folder,
        `name` among them) leave it: those no file that stays holds."""
        return [s for s in self.sidecars(name) if all(h == name or h in leaving for h in self.holders(s))]


def renamed(sidecar: str, old: str, new: str) -> str:
    """The sidecar's name once its file `old` is called `new`: IMG_1.jpg.xmp -> Trip.jpg.xmp,
    IMG_1.xmp -> Trip.xmp."""
    if sidecar.startswith(f"{old}."):
        return new + sidecar[len(old):]
    return os.path.splitext(new)[0] + os.path.splitext(sidecar)[1]
