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


class UnusablePath(ValueError):
    """No file can have this path: a NUL character, a name longer than the file system allows, a loop."""


def check_usable(raw: str) -> None:
    """Raise UnusablePath, with the system's reason, for a path the OS refuses outright.

    pathlib's exists()/is_dir() answer False for a missing file but raise for these (OSError
    ENAMETOOLONG, ELOOP; ValueError for NUL), which callers checking user input did not expect.
    """
    if "\x00" in raw:
        raise UnusablePath(f"{raw!r} contains a NUL character")
    try:
        os.stat(raw)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        pass  # an ordinary answer: the caller's own checks say it in their words
    except OSError as exc:
        raise UnusablePath(f"'{raw}' cannot be used: {exc.strerror}") from None
