from rest_framework import serializers

from apps.scanning.models import Upload


class UploadSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField(
        help_text="receiving, created (a new asset) or duplicate (the asset that already has these bytes)"
    )

    class Meta:
        model = Upload
        fields = ["id", "status", "asset", "filename", "length", "offset", "kind", "created", "updated"]
        read_only_fields = fields

    def get_status(self, upload) -> str:
        return upload.outcome or upload.state


class FileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="One photo, video or audio file")
