"""People as the API shows them, and the bodies of merges and suggestions."""

from django.urls import reverse
from rest_framework import serializers

from apps.assets.api.serializers import AssetSerializer
from apps.people.models import Face, Person

# A person's assets (/api/people/{id}/assets/) are rows of the asset list, in its serializer.
PersonAssetSerializer = AssetSerializer


class PersonSerializer(serializers.ModelSerializer):
    """A person as the caller sees them: counts and cover come from PersonQuerySet.as_seen_by, so
    they say nothing of photos the caller cannot see."""

    thumbnail = serializers.SerializerMethodField(help_text="the cover face crop (or the best visible face)")
    face_count = serializers.IntegerField(
        source="visible_faces", read_only=True, help_text="the person's faces you can see"
    )
    cover_face = serializers.PrimaryKeyRelatedField(
        queryset=Face.objects.none(),
        allow_null=True,
        required=False,
        help_text="one of this person's faces; null lets the best face stand in. Read: the chosen cover "
        "when you can see it, else your best face of the person",
    )
    name = serializers.CharField(max_length=200, allow_blank=True, required=False, trim_whitespace=True)

    class Meta:
        model = Person
        fields = ["id", "name", "hidden", "face_count", "cover_face", "thumbnail", "created"]
        read_only_fields = ["id", "face_count", "created"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person, request = self.instance, self.context.get("request")
        if isinstance(person, Person) and request is not None:
            # A cover must be one of the person's faces, and one the caller can see.
            self.fields["cover_face"].queryset = Face.objects.visible_to(request.user).filter(person=person)
            self.fields["cover_face"].error_messages["does_not_exist"] = (
                "face {pk_value} is not one of this person's faces"
            )

    def to_representation(self, person):
        data = super().to_representation(person)
        data["cover_face"] = person.cover_id  # the chosen cover only when the caller sees it
        return data

    def get_thumbnail(self, person) -> str:
        return reverse("person-thumbnail", kwargs={"pk": person.pk})


class MergeIntoSerializer(serializers.Serializer):
    into = serializers.IntegerField(help_text="the person who stays")


class BatchMergeSerializer(MergeIntoSerializer):
    people = serializers.ListField(
        child=serializers.IntegerField(),
        min_length=1,
        max_length=500,
        help_text="the people merged into `into` (they go)",
    )


class MergeSuggestionSerializer(serializers.Serializer):
    person = PersonSerializer()
    other = PersonSerializer()
    distance = serializers.FloatField(help_text="cosine distance between the two centroids")


class DistanceSerializer(serializers.Serializer):
    max_distance = serializers.FloatField(
        min_value=0.0,
        max_value=2.0,
        required=False,
        allow_null=True,
        help_text="cosine distance; default: the merge distance setting",
    )


class SmartMergeResultSerializer(serializers.Serializer):
    merged = serializers.ListField(
        child=serializers.DictField(), help_text="person, into, distance per merge"
    )
    skipped_named = serializers.IntegerField(help_text="pairs of two named people: only a user merges those")
    skipped_not_visible = serializers.IntegerField(
        help_text="pairs with faces in photos the caller cannot see"
    )
