"""Series to cull and the decisions taken on them (apps/assets/quality)."""

from rest_framework import serializers

from apps.assets.presentation import media_url
from apps.assets.quality import series


class SeriesMemberSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    filename = serializers.CharField()
    taken_at = serializers.DateTimeField(allow_null=True)
    quality = serializers.IntegerField(allow_null=True, help_text="Quality score 0-100; null until scored")
    rejected = serializers.BooleanField(source="my_rejected", help_text="The caller's own rejected flag")
    thumbnail = serializers.SerializerMethodField()
    preview = serializers.SerializerMethodField()

    def get_thumbnail(self, asset) -> str:
        return media_url(asset, "thumbnail")

    def get_preview(self, asset) -> str:
        return media_url(asset, "preview")


class SeriesSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="`stack-<id>` for a stack, `run-<first asset id>` for a capture-time run")
    kind = serializers.ChoiceField(choices=series.KINDS,
                                   help_text="burst: an automatic burst stack; stack: one made by hand; "
                                   "similar: the same camera seconds apart, with near pHashes")
    taken_at = serializers.DateTimeField(allow_null=True, help_text="The newest member's capture time")
    best = serializers.UUIDField(source="best.pk", allow_null=True, default=None,
                                 help_text="The suggested best shot (highest quality score); null while none is scored")
    members = SeriesMemberSerializer(many=True, help_text="The members the caller sees, in the order they were taken")


class SeriesPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next (older) series; null at the end")
    results = SeriesSerializer(many=True)


class DecisionSerializer(serializers.Serializer):
    keep = serializers.ListField(child=serializers.UUIDField(), required=False, default=list, max_length=500,
                                 help_text="Photos to keep: their rejected flag is cleared")
    reject = serializers.ListField(child=serializers.UUIDField(), required=False, default=list, max_length=500,
                                   help_text="Photos to reject: your own rejected flag, nothing is deleted")


class DecisionResultSerializer(serializers.Serializer):
    kept = serializers.IntegerField()
    rejected = serializers.IntegerField()
