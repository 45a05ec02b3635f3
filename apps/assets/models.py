import uuid

from django.db import models
from django.db.models import Q

from apps.core.models import TimestampedModel, VisibleQuerySet
from apps.scanning.models import Library


class AssetQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        return self.filter(library__in=Library.objects.visible_to(user))

    def alive(self):
        """Not in the trash."""
        return self.filter(deleted_at__isnull=True)


class Asset(TimestampedModel):
    """One original file in a library, with the metadata lists and filters need."""

    class Kind(models.TextChoices):
        PHOTO = "photo"
        VIDEO = "video"
        AUDIO = "audio"
        OTHER = "other"

    class Status(models.TextChoices):
        PENDING = "pending"
        READY = "ready"
        ERROR = "error"
        MISSING = "missing"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="assets")
    path = models.CharField(max_length=4096, help_text="Relative to the library root")
    filename = models.CharField(max_length=1024)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.OTHER)
    mime = models.CharField(max_length=128, blank=True)
    size = models.BigIntegerField(default=0)
    mtime = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, help_text="BLAKE3 of the whole file, hex")

    width = models.PositiveIntegerField(null=True, blank=True, help_text="As displayed, after orientation")
    height = models.PositiveIntegerField(null=True, blank=True, help_text="As displayed, after orientation")
    duration = models.FloatField(null=True, blank=True, help_text="Seconds")

    taken_at = models.DateTimeField(null=True, blank=True)
    taken_at_offset = models.SmallIntegerField(
        null=True, blank=True, help_text="UTC offset of the capture time in minutes, when known"
    )
    camera_make = models.CharField(max_length=128, blank=True)
    camera_model = models.CharField(max_length=128, blank=True)
    lens = models.CharField(max_length=256, blank=True)
    f_number = models.FloatField(null=True, blank=True)
    exposure_time = models.FloatField(null=True, blank=True, help_text="Seconds")
    iso = models.PositiveIntegerField(null=True, blank=True)
    focal_length = models.FloatField(null=True, blank=True, help_text="Millimetres")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    altitude = models.FloatField(null=True, blank=True)
    orientation = models.PositiveSmallIntegerField(null=True, blank=True, help_text="EXIF orientation 1-8")

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    last_error = models.TextField(blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="Set while the asset is in the trash")

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["library", "path"], name="asset_unique_path_per_library"),
        ]
        indexes = [
            # Timeline: newest first, keyset on (taken_at, id), trash excluded.
            models.Index(
                fields=["-taken_at", "-id"], name="asset_timeline", condition=Q(deleted_at__isnull=True)
            ),
            models.Index(fields=["library", "status"], name="asset_library_status"),
            models.Index(fields=["content_hash"], name="asset_content_hash"),
            models.Index(fields=["kind", "-taken_at"], name="asset_kind_taken"),
            models.Index(fields=["camera_make", "camera_model"], name="asset_camera"),
            models.Index(fields=["lens"], name="asset_lens"),
            models.Index(
                fields=["latitude", "longitude"], name="asset_gps", condition=Q(latitude__isnull=False)
            ),
            models.Index(fields=["deleted_at"], name="asset_trash", condition=Q(deleted_at__isnull=False)),
        ]

    def __str__(self):
        return self.path
