"""The file system half of a step, each safe to repeat after a crash and never overwriting.

A rename is one renameat2(RENAME_NOREPLACE) system call: the file is at its source or at its
target, never in both or neither, and an existing target is refused by the kernel rather than by
a check that another process could race. A copy is written under a hidden name (the walker and the
watcher skip hidden entries) and renamed into place the same way, so a target either does not
exist or is whole.
"""

import ctypes
import errno
import os
import shutil

AT_FDCWD = -100
RENAME_NOREPLACE = 1
_libc = ctypes.CDLL(None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)


def rename_noreplace(source: str, target: str) -> None:
    """Move `source` to `target` (file or folder); FileExistsError when `target` exists."""
    if _renameat2 is not None:
        result = _renameat2(AT_FDCWD, os.fsencode(source), AT_FDCWD, os.fsencode(target), RENAME_NOREPLACE)
        if result == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS):  # a file system without the flag: fall back below
            raise OSError(code, os.strerror(code), source, None, target)
    if os.path.isdir(source) and not os.path.islink(source):
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), target)
        os.rename(source, target)  # the check above may race; only on file systems without the flag
        return
    os.link(source, target)  # refuses an existing target atomically
    os.unlink(source)


def temporary_copy_name(target: str, token: str) -> str:
    folder, _ = os.path.split(target)
    return os.path.join(folder, f".mediahub-copy-{token}")


def copy_file(source: str, target: str, token: str) -> None:
    """Copy `source` to `target` (contents, times and mode) under a hidden name first, then rename it
    into place without overwriting. A leftover partial copy of the same `token` is replaced."""
    partial = temporary_copy_name(target, token)
    with open(source, "rb") as src, open(partial, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())  # the rename below must not publish a file whose bytes are not there yet
    shutil.copystat(source, partial)
    rename_noreplace(partial, target)


def discard(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def remove_empty_folders(top: str) -> int:
    """Remove the folders under `top` (not `top`) left empty, deepest first; others stay."""
    removed = 0
    for folder, _dirs, _files in os.walk(top, topdown=False):
        if folder == top:
            continue
        try:
            os.rmdir(folder)
            removed += 1
        except OSError:
            pass  # not empty (a hidden file, a file the plan did not move): it stays
    return removed
