"""An AI image's generation parameters, nested in the asset's detail (never a route of its own:
whoever may see the asset sees them, nobody else)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.assets.models import AssetGeneration


class LoraSerializer(serializers.Serializer):
    name = serializers.CharField()
    weight = serializers.FloatField(allow_null=True)


class GenerationSerializer(serializers.ModelSerializer):
    loras = LoraSerializer(many=True, read_only=True)
    extra = serializers.DictField(child=serializers.CharField(), read_only=True,
                                  help_text="Other parameters the tool wrote (e.g. Denoising strength), as text")

    class Meta:
        model = AssetGeneration
        fields = ["generator", "prompt", "negative_prompt", "steps", "sampler", "scheduler", "cfg_scale", "seed",
                  "width", "height", "model_name", "model_hash", "loras", "extra"]
        read_only_fields = fields


@extend_schema_field(GenerationSerializer(allow_null=True))
class GenerationField(serializers.Field):
    """The asset's generation record, or null for an image no AI tool described."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, asset):
        try:
            generation = asset.generation
        except AssetGeneration.DoesNotExist:
            return None
        return GenerationSerializer(generation).data
