"""A ZIP written while it is sent: zipfile on a sink the response drains, so an album (or a
selection) of any size costs one file's chunk of memory and the first bytes leave at once. Shared by
the album and share-link downloads (apps/albums/downloads.py) and the selection download
(apps/assets/downloads.py).

Stored, not deflated: photos and videos are compressed already, and deflating them would cost CPU
for nothing.
"""

import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import PurePosixPath

from django.http import StreamingHttpResponse

from .file_responses import content_disposition


class _Sink:
    """A write-only file whose written bytes are taken out by `drain()`; zipfile sees it cannot
    seek and writes data descriptors instead of going back."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def drain(self) -> Iterator[bytes]:
        chunks, self._chunks = self._chunks, []
        yield from chunks


class UniqueNames:
    """Called with each name in turn: a second `IMG_1.jpg` becomes `IMG_1 (2).jpg`."""

    def __init__(self):
        self.seen: dict[str, int] = {}

    def __call__(self, name: str) -> str:
        name = PurePosixPath(name).name or "file"
        count = self.seen.get(name.lower(), 0) + 1
        self.seen[name.lower()] = count
        if count == 1:
            return name
        path = PurePosixPath(name)
        return self(f"{path.stem} ({count}){path.suffix}")


def stream_zip(entries: Iterable[tuple[str, datetime | None, Iterable[bytes]]]) -> Iterator[bytes]:
    """The ZIP of (name, modified time, chunks) entries, as chunks."""
    sink = _Sink()
    archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True)
    for name, modified, chunks in entries:
        stamp = (modified or datetime(1980, 1, 1)).timetuple()[:6]
        info = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
        with archive.open(info, "w", force_zip64=True) as entry:
            for chunk in chunks:
                entry.write(chunk)
                yield from sink.drain()
        yield from sink.drain()
    archive.close()
    yield from sink.drain()


Entry = tuple[str, datetime | None, Iterable[bytes]]


def zip_response(title: str, entries: Iterable[Entry]) -> StreamingHttpResponse:
    """`title`.zip streamed from (name, modified time, chunks) entries (an iterator, never a list)."""
    response = StreamingHttpResponse(stream_zip(entries), content_type="application/zip")
    response["Content-Disposition"] = content_disposition(f"{title}.zip")
    return response
