"""Library roots: which folders may become libraries (MEDIAHUB_LIBRARY_ROOTS), checked when one is
added, and the folder browser that picks one. Paths are resolved before they are confined."""

import os
from pathlib import Path

from django.conf import settings

from apps.core.errors import BadInput, Refused
from apps.core.paths import UnusablePath, check_usable

from .fsnames import display_name

BROWSE_LIMIT = 2000  # entries per directory listing in the picker


class LibraryPathError(BadInput):
    """The folder cannot be a library root (or be browsed); the message says why (400 on `path`)."""

    def __init__(self, message: str):
        super().__init__(message, field="path")


class PathNotAllowed(Refused):
    """Browsing a folder outside MEDIAHUB_LIBRARY_ROOTS (403). As a library root, the same folder
    is a bad value for the path field, a LibraryPathError."""


def allowed_roots() -> list[Path]:
    return [Path(root).resolve() for root in settings.MEDIAHUB_LIBRARY_ROOTS if root]


def is_allowed(path: Path) -> bool:
    return any(path == root or root in path.parents for root in allowed_roots())


def _outside_roots(path: Path) -> str:
    return f"'{path}' is outside the folders allowed for libraries (MEDIAHUB_LIBRARY_ROOTS)"


def _check_usable(path: str) -> None:
    try:
        check_usable(path)
    except UnusablePath as exc:
        raise LibraryPathError(str(exc)) from None


def validate_root(path: str) -> Path:
    if not path or not os.path.isabs(path):
        raise LibraryPathError(f"'{path}' is not an absolute path")
    _check_usable(path)
    root = Path(path).resolve()
    if not is_allowed(root):
        raise LibraryPathError(_outside_roots(root))
    if not root.exists():
        raise LibraryPathError(f"'{root}' does not exist")
    if not root.is_dir():
        raise LibraryPathError(f"'{root}' is not a directory")
    if not os.access(root, os.R_OK | os.X_OK):
        raise LibraryPathError(f"'{root}' is not readable by MediaHub")
    return root


def browse_directory(path: str) -> dict:
    """A folder's sub-folders then files (hidden ones left out), for picking a library root."""
    if not path or not os.path.isabs(path):
        raise LibraryPathError(f"'{path}' is not an absolute path")
    _check_usable(path)
    folder = Path(path).resolve()
    if not is_allowed(folder):
        raise PathNotAllowed(_outside_roots(folder))
    if not folder.is_dir():
        raise LibraryPathError(f"'{folder}' is not a directory")
    dirs, files = [], []
    try:
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.name.startswith(".") or len(dirs) + len(files) >= BROWSE_LIMIT:
                    continue
                try:
                    is_dir = entry.is_dir()  # a symlinked folder is a folder to the user
                except OSError:
                    continue
                (dirs if is_dir else files).append(entry.name)
    except OSError as exc:
        raise LibraryPathError(f"'{folder}' cannot be read: {exc.strerror}") from exc
    parent = folder.parent
    parent_path = str(parent) if parent != folder and is_allowed(parent) else None

    def entry(name: str, is_dir: bool) -> dict:
        # A name that is not UTF-8 is shown with U+FFFD: JSON cannot carry its bytes.
        return {"name": display_name(name), "path": display_name(str(folder / name)), "is_dir": is_dir}

    entries = [entry(n, True) for n in sorted(dirs, key=str.lower)]
    entries += [entry(n, False) for n in sorted(files, key=str.lower)]
    return {"path": str(folder), "parent": parent_path, "entries": entries}
