"""What a user may name in a file operation: a path relative to the library root that stays in it.

Paths are checked twice: as text (no leading '/', no '..', no hidden names, which no scan would
index) and on disk, where the real path must be the plain join of root and path, so a symbolic
link anywhere on the way (to a folder outside the library, or inside it) is refused, not followed.
"""

import os

from django.utils.translation import gettext as _

from apps.core.errors import BadInput

from ..fsnames import decode_path, encode_path

MAX_NAME_BYTES = 255


def clean(raw, field: str = "path", allow_root: bool = False) -> str:
    """A '/'-separated path relative to the library root (the root itself as '' when allowed)."""
    if not isinstance(raw, str):
        raise BadInput(_("a path inside the library"), field=field)
    trimmed = raw.strip("/")
    parts = trimmed.split("/") if trimmed else []
    if raw.startswith("/") or "\x00" in raw or any(part in ("", ".", "..") for part in parts):
        raise BadInput(_("a path inside the library, without '..' or a leading '/'"), field=field)
    if not parts and not allow_root:
        raise BadInput(_("the library's root folder cannot be used here"), field=field)
    for part in parts:
        check_name(part, field)
    return "/".join(parts)


def check_name(name, field: str = "name") -> str:
    """A single file or folder name a scan would index: not hidden, no '/', not too long."""
    if not isinstance(name, str) or not name or name in (".", "..") or "/" in name or "\x00" in name:
        raise BadInput(_("a file or folder name without '/'"), field=field)
    if name.startswith("."):
        raise BadInput(_("a name starting with '.' is hidden: MediaHub would not index it"), field=field)
    if len(os.fsencode(name)) > MAX_NAME_BYTES:
        raise BadInput(_("a name of at most 255 bytes"), field=field)
    return name


def absolute(root: str, relative: str, field: str = "path") -> str:
    """`root/relative`, refused (400) when a symbolic link on the way would lead elsewhere."""
    base = os.path.realpath(root)
    joined = os.path.normpath(os.path.join(base, relative)) if relative else base
    if os.path.realpath(joined) != joined or not (joined == base or joined.startswith(base + os.sep)):
        raise BadInput(_("the path leaves the library (through a link?)"), field=field)
    return joined


def stored(relative: str) -> str:
    """The path as Asset.path stores it."""
    return encode_path(relative)


def real(stored_path: str) -> str:
    return decode_path(stored_path)


def join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def parent(relative: str) -> str:
    return relative.rpartition("/")[0]


def name_of(relative: str) -> str:
    return relative.rpartition("/")[2]


def inside(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or below it."""
    return path == folder or path.startswith(folder + "/")
