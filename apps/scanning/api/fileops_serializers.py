from rest_framework import serializers

from apps.scanning.fileops import paths, services
from apps.scanning.models import FileOperation

PATHS_HELP = "Files or folders, relative to the library root ('2024/Rome', '2024/Rome/IMG_1.jpg')"


class FileOperationSerializer(serializers.ModelSerializer):
    # A plain string in the schema: a second enum of "kind" choices would rename the assets' KindEnum.
    kind = serializers.CharField(help_text="mkdir, move, copy, rename, flatten or delete")
    destination = serializers.SerializerMethodField(
        help_text="The folder it acts towards, or the new path of a rename"
    )
    failures = serializers.SerializerMethodField(help_text="The first steps that could not be done, and why")

    class Meta:
        model = FileOperation
        fields = ["id", "library", "kind", "state", "destination", "total", "done", "failed", "error",
                  "created", "started", "finished", "failures"]
        read_only_fields = fields

    def get_destination(self, operation) -> str:
        return paths.real(operation.destination)

    def get_failures(self, operation) -> list[dict[str, str]]:
        return services.failures(operation) if operation.failed else []


class _InLibrary(serializers.Serializer):
    library = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class FolderMakeSerializer(_InLibrary):
    path = serializers.CharField(max_length=4096, help_text="The new folder, relative to the library root")


class FileRenameSerializer(_InLibrary):
    path = serializers.CharField(max_length=4096, help_text="The file or folder to rename")
    name = serializers.CharField(max_length=255, trim_whitespace=False, help_text="Its new name (no '/')")


class FolderFlattenSerializer(_InLibrary):
    path = serializers.CharField(
        max_length=4096, allow_blank=True,
        help_text="The folder whose subfolders' files all move into it ('' is the root)",
    )


class FilesSourcesSerializer(_InLibrary):
    paths = serializers.ListField(
        child=serializers.CharField(max_length=4096), required=False, max_length=10000, help_text=PATHS_HELP
    )
    assets = serializers.ListField(child=serializers.UUIDField(), required=False, max_length=100000,
                                   help_text="Files by asset id")


class FilesMoveSerializer(FilesSourcesSerializer):
    destination = serializers.CharField(max_length=4096, allow_blank=True,
                                        help_text="The folder they go into ('' is the root)")
