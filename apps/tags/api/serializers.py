"""Shapes of the tags API. Writes are checked here for types only; names and colours are the
services' to judge (a 400 that says what is wrong with the name)."""

from rest_framework import serializers

from ..models import Tag

MAX_BATCH = 10_000  # photos per add or remove request


class TagSerializer(serializers.ModelSerializer):
    path = serializers.CharField(trim_whitespace=False, help_text="Levels separated by /, e.g. Places/Italy/Rome")
    colour = serializers.CharField(required=False, allow_blank=True, help_text="#rrggbb, or empty")
    name = serializers.CharField(read_only=True, help_text="The last level of the path")
    parent = serializers.CharField(source="parent_path", read_only=True, help_text="The path above, or empty")
    source = serializers.CharField(read_only=True, help_text="user, or file (a keyword read from the photos' files)")
    mine = serializers.SerializerMethodField(help_text="The caller's own tag (file keywords are nobody's)")
    count = serializers.IntegerField(read_only=True, required=False,
                                     help_text="Photos with this tag that the caller can see, not in the trash")
    cover = serializers.UUIDField(read_only=True, allow_null=True, required=False,
                                  help_text="One of those photos, or null")

    class Meta:
        model = Tag
        fields = ["id", "path", "name", "parent", "colour", "source", "mine", "count", "cover", "created"]
        read_only_fields = ["created"]

    def get_mine(self, tag) -> bool:
        return tag.owner_id is not None and tag.owner_id == self.context["request"].user.pk


class TagUpdateSerializer(serializers.Serializer):
    path = serializers.CharField(required=False, trim_whitespace=False, help_text="A new path: its children move too")
    colour = serializers.CharField(required=False, allow_blank=True, help_text="#rrggbb, or empty")


class MergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(help_text="The tag that stays (yours)")


class TaggingSerializer(serializers.Serializer):
    assets = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=MAX_BATCH)
    tags = serializers.ListField(child=serializers.CharField(trim_whitespace=False), min_length=1, max_length=50,
                                 help_text="Tag paths; adding makes the caller's tags that do not exist yet")
    colour = serializers.CharField(required=False, allow_blank=True, help_text="Adding: the colour of new tags")


class AddedSerializer(serializers.Serializer):
    tags = TagSerializer(many=True)
    tagged = serializers.IntegerField(help_text="Photos that now have the tags")
    not_found = serializers.IntegerField(help_text="Ids that are not photos the caller can see")


class RemovedSerializer(serializers.Serializer):
    removed = serializers.IntegerField(help_text="Tags taken off (one per photo and tag)")
    refused = serializers.IntegerField(help_text="File keywords left on photos that are not the caller's to change")
    not_found = serializers.IntegerField(help_text="Ids that are not photos the caller can see")
