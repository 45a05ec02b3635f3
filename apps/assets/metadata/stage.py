"""Pipeline stage: extract metadata from the original and write it on the Asset."""

from django.db import transaction

from apps.assets.models import Asset, AssetGeneration, AssetMetadata
from apps.scanning.pipeline import Stage

from .extract import extract
from .overrides import keep_overrides
from .types import CorruptMedia

# MediaInfo fields that are Asset columns of the same name.
ASSET_FIELDS = (
    "kind",
    "mime",
    "width",
    "height",
    "duration",
    "taken_at",
    "taken_at_offset",
    "taken_at_source",
    "camera_make",
    "camera_model",
    "lens",
    "f_number",
    "exposure_time",
    "iso",
    "focal_length",
    "focal_length_35mm",
    "title",
    "description",
    "latitude",
    "longitude",
    "altitude",
    "orientation",
    "video_codec",
    "audio_codec",
    "frame_rate",
    "rotation",
    "has_audio",
    "phash",
    "live_photo_id",
    "burst_id",
    "motion_photo",
)
_MEDIA_KINDS = {Asset.Kind.PHOTO, Asset.Kind.VIDEO, Asset.Kind.AUDIO}


class MetadataStage(Stage):
    """Fills the asset's metadata columns and its raw tag dump; raises MetadataError for unreadable files."""

    name = "metadata"

    def applies_to(self, asset: Asset) -> bool:
        return asset.kind in _MEDIA_KINDS

    def run(self, asset: Asset) -> None:
        try:
            # Tags only: the preview stage decodes the pixels once, checks them and takes the pHash.
            info = extract(asset.source_path(), decode=False)
        except CorruptMedia as exc:
            # Keep what was readable (date, camera) on the asset, then let the runner record the error.
            self._save(asset, exc.info)
            raise
        self._save(asset, info)

    def _save(self, asset: Asset, info) -> None:
        # The pHash comes from the derivatives' decode; a tags-only read must not erase it.
        fields = [name for name in ASSET_FIELDS if name != "phash" or info.phash is not None]
        read = {name: _fit(name, getattr(info, name)) for name in fields}
        with transaction.atomic():
            # A user's edit wins: the file's new values go to the edit's record of them instead.
            kept = keep_overrides(asset, read)
            for name, value in read.items():
                if name not in kept:
                    setattr(asset, name, value)
            asset.save(update_fields=[*(name for name in fields if name not in kept), "updated"])
            AssetMetadata.objects.update_or_create(asset=asset, defaults={"tags": json_safe(info.tags)})
            _save_generation(asset, info.generation)


def _save_generation(asset: Asset, record: dict | None) -> None:
    """One row per generated image; a re-read file that no longer carries parameters loses its row."""
    if record:
        AssetGeneration.objects.update_or_create(asset=asset, defaults=json_safe(record))
    else:
        AssetGeneration.objects.filter(asset=asset).delete()


def _fit(name: str, value):
    """Strings cut to the column's length: a camera writing 300 characters of model must not fail the row."""
    field = Asset._meta.get_field(name)
    if isinstance(value, str) and getattr(field, "max_length", None):
        return value[: field.max_length]
    if value is None and not field.null:
        return field.get_default()
    return value


def json_safe(value):
    """PostgreSQL jsonb refuses NUL characters, which EXIF strings are full of."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {json_safe(str(k)): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value
