"""Shapes of /api/jobs/ and /api/system/ (documentation for drf-spectacular; the services build dicts)."""

from rest_framework import serializers

from ..services.kinds import ACTIONS, BY_NAME


class FailureSerializer(serializers.Serializer):
    """One recent failure: of an asset's stage (`asset`, `stage`), a scan (`library`, `scan`), a face
    job (`job`), a duplicate search (`task`) or a file operation (`library`, `operation`)."""

    label = serializers.CharField()
    error = serializers.CharField(allow_blank=True)
    at = serializers.DateTimeField(allow_null=True)
    asset = serializers.UUIDField(required=False)
    stage = serializers.CharField(required=False)
    attempts = serializers.IntegerField(required=False)
    library = serializers.IntegerField(required=False)
    scan = serializers.IntegerField(required=False)
    job = serializers.IntegerField(required=False)
    task = serializers.CharField(required=False)
    operation = serializers.IntegerField(required=False, help_text="A file operation (/api/file-operations/)")


class JobKindSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=list(BY_NAME))
    label = serializers.CharField()
    queue = serializers.ChoiceField(choices=["short", "long", "ml"], help_text="The queue its tasks wait in")
    stages = serializers.ListField(child=serializers.CharField(), help_text="Its pipeline stages, if any")
    configured = serializers.BooleanField(help_text="False when none of its stages is in MEDIAHUB_PIPELINE_STAGES")
    pausable = serializers.BooleanField()
    paused = serializers.BooleanField()
    paused_since = serializers.DateTimeField(allow_null=True)
    actions = serializers.ListField(child=serializers.ChoiceField(choices=ACTIONS))
    queued = serializers.IntegerField(help_text="Waiting: queued tasks, or assets whose stage has not run")
    running = serializers.IntegerField()
    failed = serializers.IntegerField()
    done = serializers.IntegerField()
    latest_failures = FailureSerializer(many=True)


class QueueDepthSerializer(serializers.Serializer):
    waiting = serializers.IntegerField()
    claimed = serializers.IntegerField(allow_null=True, help_text="Taken by a cluster (ORM broker only)")


class QueuesSerializer(serializers.Serializer):
    short = QueueDepthSerializer()
    long = QueueDepthSerializer()
    ml = QueueDepthSerializer()


class JobsSerializer(serializers.Serializer):
    kinds = JobKindSerializer(many=True)
    queues = QueuesSerializer()


class JobRunRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=ACTIONS, help_text="missing: what has not run; all: everything again; failed: what failed"
    )


class JobRunSerializer(serializers.Serializer):
    kind = serializers.CharField()
    action = serializers.ChoiceField(choices=ACTIONS)
    queued = serializers.IntegerField(help_text="Assets, scans or searches queued")


class JobPauseSerializer(serializers.Serializer):
    kind = serializers.CharField()
    paused = serializers.BooleanField()
    queued = serializers.IntegerField(help_text="What waited and was queued on resume")


class IngestWindowSerializer(serializers.Serializer):
    files = serializers.IntegerField(help_text="Assets indexed in the window")
    bytes = serializers.IntegerField()
    files_per_second = serializers.FloatField()
    mb_per_second = serializers.FloatField()
    scan_files_per_second = serializers.FloatField(help_text="Files walked per second by the scans that ended")


class IngestSerializer(serializers.Serializer):
    hour = IngestWindowSerializer()
    day = IngestWindowSerializer()


class FfmpegSerializer(serializers.Serializer):
    available = serializers.BooleanField()
    version = serializers.CharField(allow_null=True)
    encoders = serializers.ListField(child=serializers.CharField())
    hwaccels = serializers.ListField(child=serializers.CharField())
    hardware_encoders = serializers.ListField(child=serializers.CharField())


class FacesModelSerializer(serializers.Serializer):
    backend = serializers.CharField(allow_null=True)
    available = serializers.BooleanField()
    reason = serializers.CharField(allow_null=True)


class ClipModelSerializer(serializers.Serializer):
    model = serializers.CharField()
    available = serializers.BooleanField()
    loaded_here = serializers.BooleanField(help_text="Loaded in the process that answered")
    reason = serializers.CharField(allow_null=True)


class ModelsSerializer(serializers.Serializer):
    faces = FacesModelSerializer()
    clip = ClipModelSerializer()


class LibraryDiskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    bytes = serializers.IntegerField(help_text="Sum of its assets' sizes")
    free_bytes = serializers.IntegerField(allow_null=True, help_text="Free space where its folder is")


class FolderUsageSerializer(serializers.Serializer):
    bytes = serializers.IntegerField()
    files = serializers.IntegerField()


class DerivativesSerializer(serializers.Serializer):
    thumbnails = FolderUsageSerializer()
    previews = FolderUsageSerializer()
    transcodes = FolderUsageSerializer()
    bytes = serializers.IntegerField()


class DiskSerializer(serializers.Serializer):
    originals_bytes = serializers.IntegerField()
    libraries = LibraryDiskSerializer(many=True)
    derivatives = DerivativesSerializer()
    data_dir = serializers.CharField()
    data_free_bytes = serializers.IntegerField(allow_null=True)


class SystemSerializer(serializers.Serializer):
    version = serializers.CharField()
    started = serializers.DateTimeField(help_text="When the process that answered started")
    uptime_seconds = serializers.FloatField()
    ingest = IngestSerializer()
    ffmpeg = FfmpegSerializer()
    models = ModelsSerializer()
    disk = DiskSerializer()
