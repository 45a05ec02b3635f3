"""Face jobs (detection, re-cluster), the face settings and the faces status."""

from rest_framework import serializers

from apps.people.models import FaceJob

ALGORITHMS = ("hdbscan", "dbscan")


class FaceJobSerializer(serializers.ModelSerializer):
    # Plain strings: an enum named "kind" would collide with the asset kinds in the schema.
    kind = serializers.CharField(read_only=True, help_text="detect or recluster")

    class Meta:
        model = FaceJob
        fields = [
            "id",
            "kind",
            "state",
            "params",
            "assets_total",
            "batches_total",
            "batches_done",
            "result",
            "error",
            "created",
            "finished",
        ]
        read_only_fields = fields


class DetectSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(
        choices=["missing", "all"],
        default="missing",
        help_text="missing: assets not done yet; all: every asset again",
    )


class DetectStartedSerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text="assets queued for detection")
    job = FaceJobSerializer()


class StopResultSerializer(serializers.Serializer):
    stopped = FaceJobSerializer(many=True)


class ClusterParamsSerializer(serializers.Serializer):
    """Clustering parameters; every one optional (the saved settings fill the rest)."""

    max_distance = serializers.FloatField(
        min_value=0.01,
        max_value=2.0,
        required=False,
        allow_null=True,
        help_text="cosine distance under which faces are one person",
    )
    min_neighbours = serializers.IntegerField(
        min_value=1,
        max_value=100,
        required=False,
        allow_null=True,
        help_text="agreeing neighbours a new face needs to join a person",
    )
    min_cluster_size = serializers.IntegerField(
        min_value=2, max_value=1000, required=False, allow_null=True, help_text="faces a new person needs"
    )
    algorithm = serializers.ChoiceField(choices=ALGORITHMS, required=False, allow_null=True)
    min_score = serializers.FloatField(
        min_value=0.0,
        max_value=1.0,
        required=False,
        allow_null=True,
        help_text="detector confidence floor (faces below stay out)",
    )


class FaceSettingsSerializer(ClusterParamsSerializer):
    """GET: the values in force. PATCH: any subset; null goes back to the environment's default."""

    min_size = serializers.IntegerField(
        min_value=1,
        max_value=4096,
        required=False,
        allow_null=True,
        help_text="smallest face edge kept, px of the preview",
    )
    excluded_extensions = serializers.ListField(
        child=serializers.RegexField(
            r"^\.?[A-Za-z0-9]{1,10}$", error_messages={"invalid": "a file extension such as png"}
        ),
        max_length=100,
        required=False,
        allow_null=True,
        help_text="file extensions never searched for faces",
    )
    merge_distance = serializers.FloatField(
        min_value=0.01,
        max_value=2.0,
        required=False,
        allow_null=True,
        help_text="default threshold of merge suggestions",
    )

    def validate(self, data):
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: ["not a face setting"] for name in unknown})
        return data

    def validate_excluded_extensions(self, value):
        if value is None:
            return None
        return sorted({ext.lower().lstrip(".") for ext in value})


class FaceSettingsAnswerSerializer(FaceSettingsSerializer):
    defaults = serializers.DictField(help_text="the environment's values, used where nothing was saved")


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
    queue_depth = serializers.IntegerField(
        help_text="face tasks queued (detection batches, re-cluster); jobs span every library, so only "
        "admins see them"
    )
    jobs = serializers.DictField(
        child=FaceJobSerializer(allow_null=True),
        help_text="latest job per kind (null for whoever is not an admin)",
    )
