"""A selection of photos as one ZIP of their originals, written while it is sent
(apps/core/zipstream.py). What the caller may not download is left out silently, like anything
they cannot see; a file missing from its library is named in "LEFT OUT.txt" inside the ZIP."""

from apps.core import zipstream
from apps.core.errors import BadInput, NotFound
from apps.core.querysets import Action

from .derivatives import serving
from .models import Asset

MAX_FILES = 5000
CHUNK = 256 * 1024


def selection_zip(user, asset_ids: list):
    """The ZIP response of the originals among `asset_ids` that `user` may download."""
    if not asset_ids:
        raise BadInput("pick at least one photo", field="ids")
    if len(asset_ids) > MAX_FILES:
        raise BadInput(f"at most {MAX_FILES} files at once", field="ids")
    assets = (
        Asset.objects.visible_to(user, Action.DOWNLOAD).alive().filter(pk__in=asset_ids)
        .select_related("library").order_by("taken_at", "pk")
    )
    if not assets.exists():
        raise NotFound("none of these photos can be downloaded")
    return zipstream.zip_response("MediaHub photos", _entries(assets.iterator(chunk_size=500)))


def _entries(assets):
    left_out, unique = [], zipstream.UniqueNames()
    for asset in assets:
        try:
            path = serving.original(asset).path
        except serving.MediaUnavailable as exc:
            left_out.append(f"{asset.filename}: {exc}")
            continue
        yield unique(asset.filename), asset.taken_at, _read(path)
    if left_out:
        note = "Left out of this download:\n" + "\n".join(left_out) + "\n"
        yield "LEFT OUT.txt", None, [note.encode()]


def _read(path):
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk
