"""The part of a library one scan covers: the folders the watcher saw touched, not the whole tree.

A folder is scanned either alone (its own files: a file was added, changed or removed there) or
with everything under it (a folder appeared, vanished or moved). Files still being written are
skipped; the watcher scans them once they are stable. Stored on the ScanRun as JSON, with paths
stored the way Asset.path stores them (fsnames), so names that are not UTF-8 survive the trip.
"""

from dataclasses import dataclass, field

from . import fsnames


def _within(path: str, folder: str) -> str | None:
    """`path` relative to `folder` ("" is the root), or None when it is not under it."""
    if not folder:
        return path
    prefix = folder + "/"
    return path[len(prefix) :] if path.startswith(prefix) else None


def like_prefix(folder: str) -> str:
    """A LIKE pattern matching the paths under `folder` (LIKE's own characters escaped)."""
    escaped = folder.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "/%"


@dataclass(frozen=True)
class Scope:
    folders: dict[str, bool]  # relative folder ("" = the root) -> recursive
    skip: frozenset[str] = field(default_factory=frozenset)  # relative file paths left for later

    @classmethod
    def of(cls, folders: dict[str, bool], skip=()) -> "Scope":
        """Normalised: a folder inside one scanned recursively is dropped, so no file is walked twice."""
        recursive = [f for f, deep in folders.items() if deep]
        kept = {}
        for folder, deep in folders.items():
            if any(other != folder and _within(folder, other) is not None for other in recursive):
                continue
            kept[folder] = deep
        return cls(kept, frozenset(skip))

    @classmethod
    def from_json(cls, data: dict | None) -> "Scope | None":
        if not data:
            return None
        folders = {fsnames.decode_path(f["path"]): bool(f["recursive"]) for f in data.get("folders", [])}
        return cls.of(folders, (fsnames.decode_path(p) for p in data.get("skip", [])))

    def to_json(self) -> dict:
        return {
            "folders": [
                {"path": fsnames.encode_path(folder), "recursive": deep}
                for folder, deep in sorted(self.folders.items())
            ],
            "skip": sorted(fsnames.encode_path(p) for p in self.skip),
        }

    def covers(self, path: str) -> bool:
        """Whether `path` (a file, relative to the root, as on disk) lies in the scanned part."""
        for folder, deep in self.folders.items():
            rest = _within(path, folder)
            if rest is not None and (deep or "/" not in rest):
                return True
        return False

    def index_filter(self) -> tuple[str, list]:
        """SQL narrowing Asset.path to (a superset of) the scanned part, with its parameters; the
        caller keeps the rows `covers` accepts. Encoded (non-UTF-8) paths always come along."""
        clauses, params = ["path LIKE %s"], [like_prefix(fsnames.ENCODED_PREFIX.rstrip("/"))]
        for folder, deep in self.folders.items():
            if fsnames.needs_encoding(folder):
                continue  # its files are stored encoded: the clause above brings them
            if deep and not folder:
                return "TRUE", []
            if deep:
                clauses.append("path LIKE %s")
                params.append(like_prefix(folder))
            elif not folder:
                clauses.append("strpos(path, '/') = 0")
            else:
                clauses.append("(path LIKE %s AND strpos(substr(path, %s), '/') = 0)")
                params += [like_prefix(folder), len(folder) + 2]
        return "(" + " OR ".join(clauses) + ")", params
