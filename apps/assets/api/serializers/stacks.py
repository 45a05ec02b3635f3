"""Stacks as the API shows them: only the members the caller sees, the cover first."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.assets.models import Asset, Stack


class StackMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Asset
        fields = ["id", "filename", "kind", "mime", "taken_at"]
        read_only_fields = fields


class StackSerializer(serializers.ModelSerializer):
    # A plain string in the schema: an enum here would collide with the asset's `kind` (KindEnum).
    kind = serializers.CharField(read_only=True, help_text="manual, raw_jpeg, burst, live or duplicates")
    cover = serializers.SerializerMethodField(help_text="The member that stands for the stack, when the caller sees it")
    count = serializers.SerializerMethodField(help_text="How many members the caller sees")
    members = serializers.SerializerMethodField()

    class Meta:
        model = Stack
        fields = ["id", "kind", "cover", "count", "members", "created"]
        read_only_fields = fields

    def _members(self, stack) -> list:
        return self.context["members"]

    def get_cover(self, stack) -> str | None:
        shown = {m.pk for m in self._members(stack)}
        return str(stack.primary_id) if stack.primary_id in shown else None

    def get_count(self, stack) -> int:
        return len(self._members(stack))

    @extend_schema_field(StackMemberSerializer(many=True))
    def get_members(self, stack) -> list[dict]:
        return StackMemberSerializer(self._members(stack), many=True).data


class StackCreateSerializer(serializers.Serializer):
    assets = serializers.ListField(child=serializers.UUIDField(), min_length=2, max_length=1000)
    cover = serializers.UUIDField(required=False, help_text="One of `assets`; default: the best of them")


class CoverSerializer(serializers.Serializer):
    cover = serializers.UUIDField(help_text="A member of the stack, not in the trash")


class UnstackSerializer(serializers.Serializer):
    assets = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=1000)


class UnstackedSerializer(serializers.Serializer):
    unstacked = serializers.IntegerField(help_text="Photos that are single photos again")
