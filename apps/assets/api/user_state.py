"""Per-user favourite / rating / rejected of assets: one asset, or a batch from the gallery's selection."""

from django.shortcuts import get_object_or_404
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import asset_state
from apps.assets.models import AssetUserState


class AssetStateSerializer(serializers.ModelSerializer):
    rating = serializers.IntegerField(min_value=0, max_value=5, required=False, help_text="0-5 stars")

    class Meta:
        model = AssetUserState
        fields = ["asset", "favorite", "rating", "rejected", "updated"]
        read_only_fields = ["asset", "updated"]


class BatchSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=asset_state.MAX_BATCH, help_text="Asset ids"
    )
    action = serializers.ChoiceField(choices=list(asset_state.ACTIONS))
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


class AssetStateView(APIView):
    """The caller's own favourite, rating and rejected flag for one asset."""

    def _asset(self, request, pk):
        return get_object_or_404(asset_state.visible_assets(request.user), pk=pk)

    @extend_schema(responses=AssetStateSerializer)
    def get(self, request, pk):
        state = asset_state.state_of(request.user, self._asset(request, pk))
        return Response(AssetStateSerializer(state).data)

    @extend_schema(request=AssetStateSerializer, responses=AssetStateSerializer)
    def patch(self, request, pk):
        asset = self._asset(request, pk)
        serializer = AssetStateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        state = asset_state.update_state(request.user, asset, serializer.validated_data)
        return Response(AssetStateSerializer(state).data)

    @extend_schema(request=AssetStateSerializer, responses=AssetStateSerializer)
    def post(self, request, pk):
        """Same as PATCH, for clients that only POST."""
        return self.patch(request, pk)


class AssetBatchView(APIView):
    """Apply one action to many assets (all or nothing: ids the caller cannot see make it 404)."""

    @extend_schema(request=BatchSerializer, responses={200: BatchResultSerializer})
    def post(self, request):
        serializer = BatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            updated = asset_state.apply_action(request.user, data["ids"], data["action"], data.get("rating"))
        except asset_state.AssetsNotFound as exc:
            return Response(
                {"detail": "Some assets were not found; nothing was changed.", "not_found": exc.ids},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response({"action": data["action"], "updated": updated})


class MyStateField(serializers.Field):
    """The caller's own state on an asset row: from `asset_state.with_user_state` annotations in lists
    (no extra query), else one lookup for a single asset."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, asset):
        if hasattr(asset, "my_favorite"):
            return {"favorite": asset.my_favorite, "rating": asset.my_rating, "rejected": asset.my_rejected}
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return None
        state = asset_state.state_of(request.user, asset)
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
