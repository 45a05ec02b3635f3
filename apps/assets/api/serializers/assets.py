"""Assets as the API shows them: stable field names, the caller's own flags, the raw tags on detail."""

from rest_framework import serializers

from apps.assets.edits.services import file_values
from apps.assets.models import Asset
from apps.core.api.rows import PlainFieldsMixin

from .generation import GenerationField
from .quality import QualityField
from .user_state import MyStateField

# Stable names clients rely on; the model's names differ for two of them.
STABLE_FIELDS = [
    "id", "library", "path", "filename", "kind", "mime", "size", "mtime", "hash", "width", "height",
    "duration", "taken_at", "camera_make", "camera_model", "lens", "f_number", "exposure_time", "iso",
    "focal_length", "latitude", "longitude", "orientation", "status", "error",
]
EXTRA_FIELDS = [
    "taken_at_offset", "taken_at_source", "altitude", "focal_length_35mm", "video_codec", "audio_codec",
    "frame_rate", "rotation", "has_audio", "live_photo_id", "motion_photo", "user_rotation", "created", "updated",
    "title", "description", "quality",
]


class AssetSerializer(PlainFieldsMixin, serializers.ModelSerializer):
    hash = serializers.CharField(source="content_hash", read_only=True)
    error = serializers.CharField(source="last_error", read_only=True)
    my_state = MyStateField(help_text="The caller's own favourite, rating and rejected flag")
    stack_count = serializers.SerializerMethodField(
        help_text="In lists: how many members of this photo's stack the caller sees (null outside a stack)"
    )

    class Meta:
        model = Asset
        fields = STABLE_FIELDS + EXTRA_FIELDS + ["stack", "stack_count", "my_state"]
        read_only_fields = fields


    def get_stack_count(self, asset) -> int | None:
        return getattr(asset, "stack_count", None)


class AssetDetailSerializer(AssetSerializer):
    tags = serializers.SerializerMethodField(help_text="The full raw tag dump of the file")
    generation = GenerationField(help_text="Prompt and parameters an AI image tool embedded; null for other files")
    quality_detail = QualityField(
        help_text="The measures behind `quality` (apps/assets/quality/measure.py); null before the quality stage ran"
    )
    edited = serializers.SerializerMethodField(
        help_text="What a user edited, with the file's own values: {title|description|taken_at|location: "
        "{field: the file's value}}; the asset's fields hold the edited values"
    )

    class Meta(AssetSerializer.Meta):
        fields = AssetSerializer.Meta.fields + ["tags", "generation", "quality_detail", "edited"]
        read_only_fields = fields

    def get_tags(self, asset) -> dict:
        metadata = getattr(asset, "metadata", None)
        return metadata.tags if metadata else {}

    def get_edited(self, asset) -> dict:
        return file_values(asset)


class RotateSerializer(serializers.Serializer):
    degrees = serializers.ChoiceField(choices=[0, 90, 180, 270], help_text="Clockwise, on top of EXIF orientation")


class BulkDeleteSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=1000)
    permanent = serializers.BooleanField(default=False, help_text="Also delete the original files")


class DeleteResultSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.IntegerField(help_text="HTTP status of this item: 204 deleted, 404, 403, 409")
    detail = serializers.CharField(allow_blank=True)

    def to_representation(self, result):
        # A services.DeleteResult holds the item's ServiceError, if any: it answers with that error's status.
        error = result.error
        row = {"id": result.id, "status": error.status if error else 204, "detail": str(error) if error else ""}
        return super().to_representation(row)


class ReprocessSerializer(serializers.Serializer):
    stages = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, min_length=1, max_length=32,
        help_text="Pipeline stage names, or `derivatives` (thumbnail, preview, poster, transcode); "
        "default: metadata and derivatives",
    )


class ReprocessedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    stages = serializers.ListField(child=serializers.CharField(), help_text="Queued, in pipeline order")
    tasks = serializers.ListField(child=serializers.CharField(), help_text="django-q2 task ids")
