"""Originals as downloads: one at a time or all of them in a ZIP written while it is sent, as they
are or without their tags (a link with metadata off). Shared by the public link pages and the
album page of members."""

from pathlib import PurePosixPath

from django.http import StreamingHttpResponse

from apps.assets.derivatives import serving
from apps.assets.downloads import original_entries
from apps.core import zipstream

from . import stripping


def download_name(asset, strip: bool) -> str:
    """The file name of what is sent: a cleaned video is always an MP4."""
    if not strip or stripping.kind_of(asset.filename, asset.mime) != "video":
        return asset.filename
    return str(PurePosixPath(asset.filename).with_suffix(".mp4"))


def zip_response(title: str, assets, strip: bool) -> StreamingHttpResponse:
    """A ZIP of the originals of `assets` (an iterator: a big album is never held in memory). As
    they are, it has a length up front; cleaned copies are made while it is sent."""
    if not strip:
        return zipstream.zip_response(title, original_entries(assets))
    return zipstream.zip_response(title, _stripped_entries(assets), sized=False)


def _stripped_entries(assets):
    for asset in assets:
        name = download_name(asset, strip=True)
        try:
            chunks = stripping.stripped(asset, serving.original(asset).path)
        except (serving.MediaUnavailable, stripping.CannotStrip) as exc:
            yield zipstream.Entry(asset.filename, missing=str(exc))
            continue
        yield zipstream.Entry(name, chunks=chunks)
