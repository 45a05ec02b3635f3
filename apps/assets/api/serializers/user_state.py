"""The caller's own favourite / rating / rejected flag: one asset, a batch, and the field asset rows carry."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from apps.assets import user_state
from apps.assets.models import AssetUserState


class AssetStateSerializer(serializers.ModelSerializer):
    rating = serializers.IntegerField(min_value=0, max_value=5, required=False, help_text="0-5 stars")
    updated = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Null until first set")

    class Meta:
        model = AssetUserState
        fields = ["asset", "favorite", "rating", "rejected", "updated"]
        read_only_fields = ["asset", "updated"]


class BatchSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=user_state.MAX_BATCH, help_text="Asset ids"
    )
    action = serializers.ChoiceField(choices=list(user_state.ACTIONS))
    rating = serializers.IntegerField(min_value=0, max_value=5, required=False, help_text="With action=rate")

    def validate(self, data):
        if data["action"] == "rate" and "rating" not in data:
            raise serializers.ValidationError({"rating": "action 'rate' needs a rating from 0 to 5"})
        if data["action"] != "rate" and "rating" in data:
            raise serializers.ValidationError({"rating": f"action '{data['action']}' takes no rating"})
        return data


class BatchResultSerializer(serializers.Serializer):
    action = serializers.CharField()
    updated = serializers.IntegerField()


class MyStateField(serializers.Field):
    """The caller's own state on an asset row: from `user_state.with_user_state` annotations in lists
    (no extra query), else one lookup for a single asset."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, asset):
        if hasattr(asset, "my_favorite"):
            return {"favorite": asset.my_favorite, "rating": asset.my_rating, "rejected": asset.my_rejected}
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return None
        state = user_state.state_of(request.user, asset)
        return {"favorite": state.favorite, "rating": state.rating, "rejected": state.rejected}


class MyStateFieldSchema(OpenApiSerializerFieldExtension):
    """Describes MyStateField's shape in the OpenAPI schema."""

    target_class = MyStateField

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "object",
            "readOnly": True,
            "nullable": True,
            "properties": {
                "favorite": {"type": "boolean"},
                "rating": {"type": "integer", "minimum": 0, "maximum": 5},
                "rejected": {"type": "boolean"},
            },
        }
