"""Duplicate groups with their evidence, the review summary, and "similar" results."""

from rest_framework import serializers

from apps.assets.duplicates import services
from apps.assets.models import DuplicateGroup

from .assets import AssetSerializer


class MemberSerializer(serializers.Serializer):
    asset = AssetSerializer()
    distance = serializers.IntegerField(allow_null=True, help_text="pHash bits differing from the reference")
    hash_match = serializers.BooleanField(help_text="Byte-identical to the reference")
    is_reference = serializers.BooleanField(help_text="The suggested one to keep")


class GroupSerializer(serializers.ModelSerializer):
    # Plain text in the schema: an enum named "kind" would collide with the asset kind's enum.
    kind = serializers.CharField(read_only=True, help_text="exact (same content hash) or near (pHash within the threshold)")
    member_count = serializers.IntegerField(read_only=True)
    resolution = serializers.ChoiceField(DuplicateGroup.Resolution.choices, allow_blank=True, read_only=True)
    recoverable_bytes = serializers.SerializerMethodField(help_text="Bytes of all members but the largest")

    class Meta:
        model = DuplicateGroup
        fields = ["id", "kind", "created", "resolved_at", "resolution", "kept", "member_count", "recoverable_bytes"]
        read_only_fields = fields

    def get_recoverable_bytes(self, group) -> int:
        return services.recoverable(group)


class GroupDetailSerializer(GroupSerializer):
    members = serializers.SerializerMethodField()

    class Meta(GroupSerializer.Meta):
        fields = GroupSerializer.Meta.fields + ["members"]
        read_only_fields = fields

    def get_members(self, group) -> list:
        return MemberSerializer(services.members_of(group), many=True, context=self.context).data


class ChoiceSerializer(serializers.Serializer):
    asset = serializers.UUIDField(required=False, help_text="The member to keep or put on top; default: the suggested one")


class SummarySerializer(serializers.Serializer):
    groups = serializers.IntegerField()
    exact_groups = serializers.IntegerField()
    near_groups = serializers.IntegerField()
    assets = serializers.IntegerField()
    recoverable_bytes = serializers.IntegerField()


class SimilarItemSerializer(serializers.Serializer):
    asset = AssetSerializer()
    score = serializers.FloatField(help_text="0-1, higher is more alike")
    distance = serializers.FloatField(
        allow_null=True, help_text="pHash bits (visual; null when only CLIP found it) or histogram L1 (colour)"
    )
