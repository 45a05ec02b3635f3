"""Where uploads live on disk: the partial files, each user's upload library, and the placing of a
finished file under its final name (a hard link, which never replaces an existing file, then the
partial name goes: a reader never sees a half-written file under a library's name)."""

import ctypes
import errno
import os
import re
import shutil
from datetime import datetime
from pathlib import Path

from django.conf import settings

from apps.core.errors import InsufficientStorage

from ..media_types import classify

PARTIAL_DIR = ".partial"  # hidden: the walker skips it, and it is outside every library root
# Room left free on the disk beyond what an upload needs, so the database and derivatives can
# still write when uploads have filled it.
FREE_SPACE_MARGIN = 64 * 1024 * 1024
MAX_NAME = 200  # characters of a stored file name, extension included
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


def upload_root() -> Path:
    return Path(settings.MEDIAHUB_UPLOAD_DIR).resolve()


def partial_dir() -> Path:
    folder = upload_root() / PARTIAL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def partial_path(upload_id) -> Path:
    return partial_dir() / str(upload_id)


def user_folder(user) -> Path:
    """The user's upload library root. Usernames take only letters, digits and @.+-_, but may
    start with a dot ('.', '..' are valid usernames): those get a prefix."""
    name = user.get_username()
    if name.startswith("."):
        name = f"_{name}"
    return upload_root() / name


def check_free_space(needed: int) -> None:
    free = shutil.disk_usage(partial_dir()).free
    if free < needed + FREE_SPACE_MARGIN:
        raise InsufficientStorage(
            f"not enough free disk space for this upload: {needed:,} bytes needed, "
            f"{max(free - FREE_SPACE_MARGIN, 0):,} available"
        )


FALLOC_FL_KEEP_SIZE = 1  # linux/falloc.h
try:
    _fallocate = ctypes.CDLL(None, use_errno=True).fallocate
    _fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
except (AttributeError, OSError):  # not Linux
    _fallocate = None


def reserve(fd: int, offset: int, length: int) -> None:
    """Allocate the blocks of `length` bytes at `offset` without changing the file's size
    (fallocate(2) with KEEP_SIZE; a truncate to the size frees what stayed unwritten). Nothing
    where the platform or the file system has no such call: the writes allocate as they go."""
    if length <= 0 or _fallocate is None:
        return
    if _fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, length) != 0:
        failure = ctypes.get_errno()
        if failure not in (errno.EOPNOTSUPP, errno.ENOSYS):
            raise OSError(failure, os.strerror(failure))


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


def clean_filename(name: str) -> str:
    """A file name safe to store: no folders, no control characters, not hidden, not too long."""
    name = _UNSAFE.sub("_", os.path.basename((name or "").replace("\\", "/"))).strip().lstrip(".")
    if not name:
        name = "upload"
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 10:
        return stem[: MAX_NAME - len(ext) - 1] + "." + ext
    return name[:MAX_NAME]


# Sniffed formats whose name is not an extension the scanner classifies.
_EXTENSION_OF_FORMAT = {"asf": "wmv", "mos": "tif", "xmp": "xmp"}


def name_for_content(filename: str, file_format: str, kind: str) -> str:
    """The client's name when its extension says the same kind as the content (the scanner
    classifies by extension), else the name with the content's own extension added."""
    if classify(filename) == kind:
        return filename
    extension = _EXTENSION_OF_FORMAT.get(file_format, file_format) or "bin"
    return f"{filename[: MAX_NAME - len(extension) - 1]}.{extension}"


def month_folder(root: Path, when: datetime) -> Path:
    folder = root / f"{when.year:04d}" / f"{when.month:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def free_name(folder: Path, filename: str, indexed=lambda path: False) -> Path:
    """`filename` in `folder`, or 'name (2).ext', 'name (3).ext'... when a file has it, or when
    `indexed(path)` says the index still has a row for it (a file removed behind its back)."""
    candidate = folder / filename
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    number = 1
    while candidate.exists() or indexed(candidate):
        number += 1
        candidate = folder / (f"{stem} ({number}).{ext}" if ext else f"{stem} ({number})")
    return candidate


def link_into_place(partial: Path, target: Path, indexed=lambda path: False) -> Path:
    """Give the finished partial file its final name without ever replacing a file: `target`,
    or a free name next to it when another file took it meanwhile. Idempotent after a crash:
    a target that already is this file is kept. Returns the final path."""
    while True:
        if target.exists() and os.path.samefile(partial, target):
            return target
        try:
            os.link(partial, target)
        except FileExistsError:
            target = free_name(target.parent, target.name, indexed)
            continue
        _sync_folder(target.parent)
        return target


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
