"""Paths from users or the database are resolved and confined to a root before any file is touched."""

import os
from pathlib import Path


class PathOutsideRoot(PermissionError):
    """The path escapes its root (`..`, a symlink out, an absolute path)."""


def confine(root: str | os.PathLike, relative: str | os.PathLike) -> Path:
    """`root/relative`, resolved (symlinks followed); raises PathOutsideRoot when it leaves `root`."""
    base = Path(root).resolve()
    target = (base / relative).resolve()
    if target != base and base not in target.parents:
        raise PathOutsideRoot(f"{relative!s} is outside {base}")
    return target
