from rest_framework import serializers

from apps.scanning.models import IgnoredPath, Library, ScanRun


class ScanRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScanRun
        fields = [
            "id",
            "library",
            "state",
            "full",
            "created",
            "started",
            "finished",
            "heartbeat",
            "files_seen",
            "new",
            "changed",
            "moved",
            "missing",
            "errors",
            "error_log",
        ]
        read_only_fields = fields


class LibrarySerializer(serializers.ModelSerializer):
    owner = serializers.StringRelatedField()
    asset_count = serializers.IntegerField(read_only=True, help_text="Assets indexed, trash excluded")
    missing_count = serializers.IntegerField(read_only=True)
    error_count = serializers.IntegerField(read_only=True)
    last_scan_id = serializers.IntegerField(read_only=True, allow_null=True)
    last_scan_state = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Library
        fields = [
            "id",
            "name",
            "root_path",
            "owner",
            "read_only",
            "paused",
            "created",
            "asset_count",
            "missing_count",
            "error_count",
            "last_scan_id",
            "last_scan_state",
        ]
        read_only_fields = fields


class LibraryCreateSerializer(serializers.Serializer):
    path = serializers.CharField(max_length=4096, help_text="Absolute path of an existing, readable folder")
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class LibraryUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Library
        fields = ["name", "paused", "read_only"]
        extra_kwargs = {"read_only": {"help_text": "False: MediaHub may write into the folder (file operations)"}}


class ScanStartSerializer(serializers.Serializer):
    full = serializers.BooleanField(default=False, help_text="Re-hash every file")


class DirectoryEntrySerializer(serializers.Serializer):
    name = serializers.CharField()
    path = serializers.CharField()
    is_dir = serializers.BooleanField()


class DirectoryListingSerializer(serializers.Serializer):
    path = serializers.CharField()
    parent = serializers.CharField(allow_null=True, help_text="Null at the top of an allowed root")
    entries = DirectoryEntrySerializer(
        many=True, help_text="Folders first, then files; hidden entries left out"
    )


class LibraryShareUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()


class LibrarySharesSerializer(serializers.Serializer):
    """Who besides its owner sees a library."""

    library = serializers.IntegerField()
    shared_with_all = serializers.BooleanField(help_text="Every user sees it, whatever the list says")
    shared_with = LibraryShareUserSerializer(many=True)


class LibraryShareRequestSerializer(serializers.Serializer):
    users = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), allow_empty=False, max_length=1000,
        help_text="Ids of the users to share the library with (or stop sharing it with)",
    )


class IgnoredPathSerializer(serializers.ModelSerializer):
    path = serializers.CharField(source="display_path", read_only=True, help_text="Relative to the library's folder")

    class Meta:
        model = IgnoredPath
        fields = ["id", "path", "created"]
        read_only_fields = fields


class IncludeAgainSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), allow_empty=False, max_length=1000,
        help_text="Ids of ignored paths (GET .../ignored/) whose files the next scan indexes again",
    )
