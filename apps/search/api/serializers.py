from rest_framework import serializers

from apps.assets.api.serializers import AssetSerializer


class SearchResultSerializer(AssetSerializer):
    score = serializers.FloatField(read_only=True, help_text="Relevance (ts_rank_cd); 0 when no words were given")

    class Meta(AssetSerializer.Meta):
        fields = AssetSerializer.Meta.fields + ["score"]
        read_only_fields = fields


class FilterOptionSerializer(serializers.Serializer):
    value = serializers.JSONField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class FilterDimensionSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    param = serializers.CharField(help_text="The search parameter an option's value goes to")
    options = FilterOptionSerializer(many=True)
