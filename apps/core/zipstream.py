"""ZIPs written while they are sent (zipstream-ng): no temporary copy on disk, one file's chunk of
memory, and the first bytes leave at once. The one implementation behind every ZIP: a selection
(apps/assets/downloads.py), an album and a share link (apps/albums/downloads.py), a folder and a
person, and a batch of exported copies (apps/assets/exports/).

Stored, not deflated: photos and videos are compressed already, and deflating them would cost CPU
for nothing. Because nothing is deflated, a ZIP of files sent as they are has a length known before
the first byte (every file is stat'ed up front): the response carries Content-Length and the
browser shows real progress. Bytes made while sending (a copy without its tags, an export) have no
length until they are made, so such a ZIP streams without one.
"""

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path, PurePosixPath

import zipstream.ng
from django.http import StreamingHttpResponse
from zipstream import ZipStream
from zlib_ng import zlib_ng

from .file_responses import content_disposition

LEFT_OUT_NAME = "LEFT OUT.txt"
# The response header saying how many of the requested files the ZIP does not hold (not visible,
# not downloadable, not exportable); documented in the OpenAPI schema (apps/core/api/binary.py).
LEFT_OUT_HEADER = "X-Left-Out"
# A length up front means a stat per file before the first byte (about 1 s for 10,000 files on a
# cold disk) and the whole list in memory; past this many files the ZIP streams without a length.
SIZED_LIMIT = 10_000
# How far ahead of what is sent the next files are asked of the disk (posix_fadvise WILLNEED): the
# ZIP reads, CRCs and sends one file after another in one thread, so on a cold cache the disk would
# otherwise sit idle while the CPU works (bench_zip.py: 0.67-0.71 of a plain disk read without it).
PREFETCH_BYTES = 64 * 1024 * 1024
# The CRC-32 every ZIP entry carries is the one real cost of a stored ZIP: zlib's ran at 600 MiB/s
# here (2 loaded cores), a fifth of reading warm files, while zlib-ng's (same polynomial, SIMD)
# runs at 3,100 MiB/s (tests/benchmarks/bench_zip.py). zipstream-ng takes `crc32` from zipfile
# into its module; it gets zlib-ng's instead.
zipstream.ng.crc32 = zlib_ng.crc32


@dataclass(frozen=True)
class Entry:
    """One file of a ZIP: sent as it is from `path`, or made while sending (`chunks`), or left out
    with the reason `missing` (named in LEFT OUT.txt)."""

    name: str
    path: Path | None = None
    chunks: Iterable[bytes] | None = None
    missing: str = ""


class UniqueNames:
    """Called with each name in turn: a second `IMG_1.jpg` becomes `IMG_1 (2).jpg` (case aside, as
    Windows and macOS unpack them). Folders in a name are dropped, or kept with `folders` (a
    folder's ZIP keeps its tree) less anything that could climb out of it (`..`, a leading `/`)."""

    def __init__(self, folders: bool = False):
        self.seen: dict[str, int] = {}
        self.folders = folders

    def __call__(self, name: str) -> str:
        parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("/", ".", "..")]
        name = ("/".join(parts) if self.folders else parts[-1] if parts else "") or "file"
        count = self.seen.get(name.lower(), 0) + 1
        self.seen[name.lower()] = count
        if count == 1:
            return name
        path = PurePosixPath(name)
        return self(str(path.with_name(f"{path.stem} ({count}){path.suffix}")))


class _Builder:
    """Adds entries to a ZipStream under unique names and keeps the reasons of those left out."""

    def __init__(self, sized: bool, folders: bool):
        self.stream = ZipStream(sized=sized)
        self.names = UniqueNames(folders)
        self.reasons: list[str] = []

    def add(self, entry: Entry) -> None:
        if entry.missing:
            self.reasons.append(f"{entry.name}: {entry.missing}")
        elif entry.path is not None:
            try:
                self.stream.add_path(str(entry.path), self.names(entry.name), recurse=False)
            except OSError:  # gone between the query and now
                self.reasons.append(f"{entry.name}: the file is missing from its library")
        else:
            self.stream.add(entry.chunks, self.names(entry.name))

    def add_note(self) -> None:
        if self.reasons:
            note = "Left out of this download:\n" + "\n".join(self.reasons) + "\n"
            self.stream.add(note.encode(), LEFT_OUT_NAME)


def _streamed(builder: _Builder, entries: Iterator[Entry]) -> Iterator[bytes]:
    """Entries are taken one at a time while the ZIP is sent, so a made file (an export) is made
    only when its turn comes."""
    for entry in entries:
        builder.add(entry)
        yield from builder.stream.all_files()
    builder.add_note()
    yield from builder.stream.finalize()


def _advise(path: Path) -> int:
    """Starts the kernel reading `path` into the page cache and returns its size (0 if it is gone)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return 0
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        return os.fstat(fd).st_size
    finally:
        os.close(fd)


def _prefetched(body: Iterator[bytes], paths: list[Path]) -> Iterator[bytes]:
    """`body`, while the files after the one being sent are read ahead, PREFETCH_BYTES at most."""
    upcoming = iter(paths)
    sent = asked = 0
    for chunk in body:
        while asked < sent + PREFETCH_BYTES and (path := next(upcoming, None)) is not None:
            asked += _advise(path)
        sent += len(chunk)
        yield chunk


def zip_response(
    title: str, entries: Iterable[Entry], *, sized: bool = True, folders: bool = False, left_out: int = 0
) -> StreamingHttpResponse:
    """`title`.zip streamed from `entries` (an iterator, never a list: a big album is never held).

    `sized`: every entry is a path or missing, so the length is worked out up front (up to
    SIZED_LIMIT files). `folders`: names keep their folders. `left_out`: how many requested files
    the caller will not get, for the X-Left-Out header (LEFT OUT.txt names those found missing on disk)."""
    entries = iter(entries)
    length = None
    if sized:
        head = list(islice(entries, SIZED_LIMIT + 1))
        sized = len(head) <= SIZED_LIMIT
        entries = chain(head, entries)
    builder = _Builder(sized, folders)
    if sized:
        for entry in entries:
            builder.add(entry)
        builder.add_note()
        length = len(builder.stream)
        body = _prefetched(iter(builder.stream), [entry.path for entry in head if entry.path is not None])
    else:
        body = _streamed(builder, entries)
    response = StreamingHttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = content_disposition(f"{title}.zip")
    response[LEFT_OUT_HEADER] = str(left_out)
    if length is not None:
        response["Content-Length"] = str(length)
    return response
