from rest_framework import serializers

from apps.scanning.models import Library


class LibrarySerializer(serializers.ModelSerializer):
    owner = serializers.StringRelatedField()

    class Meta:
        model = Library
        fields = ["id", "name", "root_path", "owner", "read_only", "paused", "created"]
        read_only_fields = fields
