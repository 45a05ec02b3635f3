"""Photos as one ZIP of their originals, written while it is sent (apps/core/zipstream.py): a
selection, a folder with its subfolders, and (for apps/people and apps/albums) any stream of assets.

Only what the caller may download goes in (Action.DOWNLOAD: a member of an album without downloads
sees its photos but does not get them); how many of the asked-for ids were left out for that is
the X-Left-Out header. A file missing from its library is named in "LEFT OUT.txt" inside the ZIP.
"""

from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from apps.core import zipstream
from apps.core.errors import BadInput, NotFound
from apps.core.querysets import Action

from .derivatives import serving
from .explore import folders
from .models import Asset

MAX_FILES = 5000


def original_entries(assets: Iterable[Asset], name=lambda asset: asset.filename) -> Iterator[zipstream.Entry]:
    """The ZIP entries of the originals of `assets`, each under `name(asset)`."""
    for asset in assets:
        try:
            path = serving.original(asset).path
        except serving.MediaUnavailable as exc:
            yield zipstream.Entry(asset.filename, missing=str(exc))
            continue
        yield zipstream.Entry(name(asset), path=path)


def downloadable(user, asset_ids: list, field: str = "ids"):
    """The assets among `asset_ids` that `user` may download (not trashed), oldest first, and how
    many of the ids are left out. BadInput for no ids or too many; NotFound when none is left."""
    if not asset_ids:
        raise BadInput(_("pick at least one photo"), field=field)
    if len(asset_ids) > MAX_FILES:
        raise BadInput(_("at most %(MAX_FILES)s files at once") % {"MAX_FILES": MAX_FILES}, field=field)
    wanted = set(asset_ids)
    assets = (
        Asset.objects.visible_to(user, Action.DOWNLOAD).alive().filter(pk__in=wanted)
        .select_related("library").order_by("taken_at", "pk")
    )
    found = assets.count()
    if not found:
        raise NotFound(_("none of these photos can be downloaded"))
    return assets, len(wanted) - found


def selection_zip(user, asset_ids: list) -> StreamingHttpResponse:
    """The ZIP response of the originals among `asset_ids` that `user` may download."""
    assets, left_out = downloadable(user, asset_ids)
    entries = original_entries(assets.iterator(chunk_size=500))
    return zipstream.zip_response("MediaHub photos", entries, left_out=left_out)


def folder_zip(user, library_id, raw_path: str | None) -> StreamingHttpResponse:
    """A folder of a library and its subfolders as one ZIP; paths inside are relative to it."""
    found = folders.folder(user, library_id, raw_path)
    assets = Asset.objects.visible_to(user, Action.DOWNLOAD).alive().filter(library=found.library)
    if found.path:
        assets = assets.filter(directory=found.path) | assets.filter(directory__startswith=f"{found.path}/")
    assets = assets.select_related("library").order_by("directory", "filename", "pk")
    if not assets.exists():
        raise NotFound(_("this folder holds no files you may download"))
    cut = len(found.path) + 1 if found.path else 0
    title = found.path.rpartition("/")[2] if found.path else found.library.name
    entries = original_entries(assets.iterator(chunk_size=500), lambda asset: asset.path[cut:])
    return zipstream.zip_response(title, entries, folders=True)


def assets_zip(title: str, assets) -> StreamingHttpResponse:
    """Any queryset of assets the caller may see as one ZIP (a person's photos)."""
    entries = original_entries(assets.select_related("library").iterator(chunk_size=500))
    return zipstream.zip_response(title, entries)
