from rest_framework import serializers

from apps.assets.models import Asset


class AssetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Asset
        exclude = ["deleted_at"]
        read_only_fields = [f.name for f in Asset._meta.fields]
