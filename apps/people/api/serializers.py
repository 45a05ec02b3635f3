from django.urls import reverse
from rest_framework import serializers

from apps.people.models import Face

from .control_serializers import FaceJobSerializer


class FaceSerializer(serializers.ModelSerializer):
    box = serializers.SerializerMethodField(help_text="x, y, width, height in pixels of the preview")
    person_name = serializers.CharField(source="person.name", default=None, read_only=True)
    thumbnail = serializers.SerializerMethodField()

    class Meta:
        model = Face
        fields = [
            "id", "asset", "box", "preview_width", "preview_height", "landmarks", "score", "backend",
            "person", "person_name", "assigned_by", "created", "thumbnail",
        ]
        read_only_fields = fields

    def get_box(self, face) -> dict:
        return {"x": face.x, "y": face.y, "width": face.width, "height": face.height}

    def get_thumbnail(self, face) -> str:
        return reverse("face-thumbnail", kwargs={"pk": face.pk})


class FacesStatusSerializer(serializers.Serializer):
    available = serializers.BooleanField()
    reason = serializers.CharField(allow_null=True)
    backend = serializers.CharField()
    model_files = serializers.ListField(child=serializers.CharField())
    faces = serializers.IntegerField()
    assigned_faces = serializers.IntegerField()
    people = serializers.IntegerField()
    assets_done = serializers.IntegerField()
    assets_failed = serializers.IntegerField()
    model_loaded = serializers.BooleanField(help_text="the backend's models loaded in this process")
    running = serializers.BooleanField(help_text="a detection job is active")
    recluster_running = serializers.BooleanField()
    queue_depth = serializers.IntegerField(help_text="face tasks queued (detection batches, re-cluster)")
    jobs = serializers.DictField(child=FaceJobSerializer(allow_null=True), help_text="latest job per kind")
