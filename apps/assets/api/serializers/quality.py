"""The measures behind an asset's quality score, nested in its detail (no route of their own:
whoever may see the asset sees them, nobody else)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.assets.models import AssetQuality


class QualitySerializer(serializers.ModelSerializer):
    class Meta:
        model = AssetQuality
        fields = ["sharpness", "face_sharpness", "highlights", "shadows", "noise", "faces", "face_size", "frontal",
                  "blurry", "badly_exposed", "version", "measured_at"]
        read_only_fields = fields


@extend_schema_field(QualitySerializer(allow_null=True))
class QualityField(serializers.Field):
    """The asset's quality measures, or null before the quality stage ran on it."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, asset):
        try:
            detail = asset.quality_detail
        except AssetQuality.DoesNotExist:
            return None
        return QualitySerializer(detail).data
