"""Faces as the API shows them, and the bodies that say who a face is."""

from django.urls import reverse
from rest_framework import serializers

from apps.people.models import Face

from .people import PersonSerializer


class FaceSerializer(serializers.ModelSerializer):
    box = serializers.SerializerMethodField(help_text="x, y, width, height in pixels of the preview")
    person_name = serializers.CharField(source="person.name", default=None, read_only=True, allow_null=True)
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


class AssignSerializer(serializers.Serializer):
    person = serializers.IntegerField(required=False, help_text="an existing person")
    name = serializers.CharField(required=False, max_length=200, help_text="a new person of this name")

    def validate(self, data):
        if ("person" in data) == ("name" in data):
            raise serializers.ValidationError(
                {"person": ["give either `person` (an id) or `name` (a new person)"]}
            )
        return data


class BatchAssignSerializer(AssignSerializer):
    faces = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=1000)


class BatchAssignResultSerializer(serializers.Serializer):
    person = PersonSerializer()
    faces = serializers.ListField(child=serializers.IntegerField())


class FaceGroupSerializer(serializers.Serializer):
    faces = FaceSerializer(many=True, help_text="look-alike unassigned faces, the one the group grew from first")
