"""The trash as the API shows it: what is in it and for how long, and the bodies of restore."""

from rest_framework import serializers

from apps.assets import trash
from apps.assets.models import Asset
from apps.assets.user_state import MAX_BATCH


class TrashedAssetSerializer(serializers.ModelSerializer):
    purge_at = serializers.SerializerMethodField(help_text="When the daily purge deletes it for good")
    days_left = serializers.SerializerMethodField(help_text="Whole days left to restore it (0: due)")

    class Meta:
        model = Asset
        fields = [
            "id", "library", "path", "filename", "kind", "mime", "size", "width", "height", "taken_at",
            "deleted_at", "purge_at", "days_left",
        ]
        read_only_fields = fields

    def get_purge_at(self, asset) -> str:
        return serializers.DateTimeField().to_representation(trash.purge_at(asset))

    def get_days_left(self, asset) -> int:
        return trash.days_left(asset, self.context.get("now"))


class RestoreSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=MAX_BATCH, help_text="Ids of trashed assets"
    )


class RestoredSerializer(serializers.Serializer):
    restored = serializers.IntegerField()


class KeptSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    detail = serializers.CharField(help_text="Why it is still in the trash (its file could not be removed)")


class EmptiedSerializer(serializers.Serializer):
    deleted = serializers.IntegerField(help_text="Deleted for good")
    kept = KeptSerializer(many=True)
