from rest_framework import serializers

from apps.assets.api.serializers import AssetSerializer


class SearchResultSerializer(AssetSerializer):
    score = serializers.FloatField(
        read_only=True,
        help_text="Relevance: ts_rank_cd (text), cosine similarity (semantic), weighted mix (hybrid); 0 without words",
    )

    class Meta(AssetSerializer.Meta):
        fields = AssetSerializer.Meta.fields + ["score"]
        read_only_fields = fields


class FilterOptionSerializer(serializers.Serializer):
    value = serializers.JSONField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class FilterDimensionSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    param = serializers.CharField(help_text="The search parameter an option's value goes to (a range's minimum)")
    options = FilterOptionSerializer(many=True)
    # Ranges only (ISO, aperture, shutter, focal lengths): left out of the other dimensions.
    max_param = serializers.CharField(required=False, help_text="Range: the parameter of its maximum")
    min = serializers.JSONField(required=False, help_text="Range: the lowest value among the visible assets "
                                "(as the parameter takes it: a number, or `1/4000` for a shutter)")
    max = serializers.JSONField(required=False, help_text="Range: the highest value among the visible assets")


class EmbeddingCoverageSerializer(serializers.Serializer):
    embedding = serializers.ChoiceField(choices=["clip", "faces", "search", "ocr"])
    model = serializers.CharField(help_text="Model (or backend) that makes this embedding")
    text_model = serializers.CharField(required=False, help_text="clip: the model that embeds queries")
    available = serializers.BooleanField(help_text="Whether this process can compute it now")
    reason = serializers.CharField(allow_blank=True, help_text="Why not, when unavailable")
    total = serializers.IntegerField(help_text="Visible assets it applies to")
    done = serializers.IntegerField(help_text="Of those, how many have it (clip: by the current model)")
    missing = serializers.IntegerField(help_text="total - done: waiting for the pipeline, `manage.py embed` or failed")
    failed = serializers.IntegerField(help_text="Whose last attempt failed")
    other_model = serializers.IntegerField(help_text="clip: embedded by another model, to be redone")


class CoverageSerializer(serializers.Serializer):
    embeddings = EmbeddingCoverageSerializer(many=True)
    queued_tasks = serializers.IntegerField(allow_null=True, help_text="Tasks of any kind waiting for a worker")


class TextLineSerializer(serializers.Serializer):
    text = serializers.CharField()
    confidence = serializers.FloatField(help_text="The recogniser's confidence, 0-1")
    box = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        min_length=4, max_length=4,
        help_text="Four [x, y] corners, clockwise from the top left, as fractions of the image's width and height",
    )


class AssetTextSerializer(serializers.Serializer):
    asset = serializers.UUIDField(source="asset_id")
    text = serializers.CharField(allow_blank=True, help_text="The lines, one per line of text, in reading order")
    lines = TextLineSerializer(many=True)
    engine = serializers.CharField(allow_blank=True, help_text="The OCR model that read it; empty when not read yet")
    read_at = serializers.DateTimeField(allow_null=True, help_text="When it was read; null when not read yet")
