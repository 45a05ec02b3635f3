"""Library management and scanning: the one place views, tasks and commands call."""

import os
from pathlib import Path

from .models import Library


class LibraryPathError(ValueError):
    """The folder cannot be a library root; the message says why."""


def validate_root(path: str) -> Path:
    if not path or not os.path.isabs(path):
        raise LibraryPathError(f"'{path}' is not an absolute path")
    root = Path(path).resolve()
    if not root.exists():
        raise LibraryPathError(f"'{root}' does not exist")
    if not root.is_dir():
        raise LibraryPathError(f"'{root}' is not a directory")
    if not os.access(root, os.R_OK | os.X_OK):
        raise LibraryPathError(f"'{root}' is not readable by MediaHub")
    return root


def get_or_add_library(path: str, owner, name: str | None = None) -> tuple[Library, bool]:
    root = validate_root(path)
    return Library.objects.get_or_create(
        root_path=str(root), defaults={"owner": owner, "name": name or root.name or str(root)}
    )
