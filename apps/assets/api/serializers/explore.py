"""Shapes of the explore reads: timeline buckets, memories, folders."""

from rest_framework import serializers

from apps.assets.models import Asset
from apps.assets.presentation import media_url


class BucketSerializer(serializers.Serializer):
    bucket = serializers.CharField(help_text="`YYYY-MM`, or `YYYY-MM-DD` inside a month")
    count = serializers.IntegerField()
    before = serializers.DateTimeField(help_text="Just after the bucket: `/?at=` this shows the bucket first")


class MemoryAssetSerializer(serializers.ModelSerializer):
    """What a story card and its viewer need; `/api/assets/{id}/` has the rest."""

    class Meta:
        model = Asset
        fields = ["id", "kind", "filename", "taken_at", "taken_at_offset", "width", "height", "duration"]
        read_only_fields = fields


class MemorySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    years_ago = serializers.IntegerField()
    title = serializers.CharField()
    assets = MemoryAssetSerializer(many=True)


class MemoriesSerializer(serializers.Serializer):
    date = serializers.DateField()
    memories = MemorySerializer(many=True)


class HideMemorySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The day the memory was shown on")
    year = serializers.IntegerField(min_value=1800, max_value=9999, help_text="The memory's year")


class SubfolderSerializer(serializers.Serializer):
    name = serializers.CharField()
    path = serializers.CharField()
    count = serializers.IntegerField(help_text="Files in it and below")
    cover = serializers.SerializerMethodField(help_text="Thumbnail URL of its newest photo")

    def get_cover(self, folder) -> str | None:
        return media_url(folder.cover, "thumbnail") if folder.cover else None


class CrumbSerializer(serializers.Serializer):
    name = serializers.CharField()
    path = serializers.CharField()

    def to_representation(self, crumb):
        return {"name": crumb[0], "path": crumb[1]}


class FolderSerializer(serializers.Serializer):
    library = serializers.IntegerField(source="library.pk")
    path = serializers.CharField(allow_blank=True, help_text="Relative to the library root; `` is the root")
    parent = serializers.CharField(allow_null=True, allow_blank=True)
    count = serializers.IntegerField(help_text="Files directly in it: `/api/assets/?library=&directory=` lists them")
    breadcrumbs = CrumbSerializer(many=True)
    folders = SubfolderSerializer(many=True)
