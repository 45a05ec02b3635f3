"""Originals as downloads: one at a time or all of them in a ZIP written while it is sent, as they
are or without their tags (a link with metadata off). Shared by the public link pages and the
album page of members."""

from pathlib import PurePosixPath

from django.http import StreamingHttpResponse

from apps.assets.derivatives import serving
from apps.core import zipstream

from . import stripping


def download_name(asset, strip: bool) -> str:
    """The file name of what is sent: a cleaned video is always an MP4."""
    if not strip or stripping.kind_of(asset.filename, asset.mime) != "video":
        return asset.filename
    return str(PurePosixPath(asset.filename).with_suffix(".mp4"))


def zip_response(title: str, assets, strip: bool) -> StreamingHttpResponse:
    """A ZIP of the originals of `assets` (an iterator: a big album is never held in memory)."""
    return zipstream.zip_response(title, _entries(assets, strip))


def _entries(assets, strip: bool):
    left_out, unique = [], zipstream.UniqueNames()
    for asset in assets:
        name = unique(download_name(asset, strip))
        try:
            path = serving.original(asset).path
            chunks = stripping.stripped(asset, path) if strip else _read(path)
        except (serving.MediaUnavailable, stripping.CannotStrip) as exc:
            left_out.append(f"{asset.filename}: {exc}")
            continue
        yield name, asset.taken_at, chunks
    if left_out:
        note = "Left out of this download:\n" + "\n".join(left_out) + "\n"
        yield "LEFT OUT.txt", None, [note.encode()]


def _read(path):
    with open(path, "rb") as handle:
        while chunk := handle.read(stripping.CHUNK):
            yield chunk
