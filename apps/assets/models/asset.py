import uuid
from pathlib import Path

from django.apps import apps
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.contrib.postgres.indexes import OpClass
from pgvector.django import VectorField

from apps.core.models import TimestampedModel
from apps.core.paths import confine
from apps.core.querysets import Action, VisibleQuerySet
from apps.scanning.fsnames import decode_path
from apps.scanning.models import Library

from .expressions import CaptureMonthDay, CaptureYear, Directory


class AssetQuerySet(VisibleQuerySet):
    # Seeing a library (shared with you, or with everyone) is not owning it.
    refusal = "only the library's owner can change this asset"
    refusals = {Action.DOWNLOAD: "the album this is shared through does not allow downloading originals"}

    def visible_to(self, user, action: Action | str = Action.VIEW):
        """View: the assets of every library the user sees, and of the albums shared with them.
        Download (the original): the same, through albums that allow it. Change, delete (and
        manage): only those of the user's own libraries; a superadmin may do anything to any asset."""
        action = Action(action)
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if action in (Action.VIEW, Action.DOWNLOAD):
            # Albums shared with the user add what they hold, never to change (apps/albums/models.py);
            # resolved at call time: albums depends on assets.
            items = apps.get_model("albums", "AlbumItem").objects
            shared = items.shared_with(user, downloads=action == Action.DOWNLOAD)
            return self.filter(Q(library__in=Library.objects.visible_to(user)) | Q(pk__in=shared))
        return self.filter(library__owner=user)

    def owned_library_ids(self, user) -> list[int]:
        """The ids of the libraries `user` owns, as a list. The trash filters by these constants:
        joined to the libraries, the planner misjudged deep keyset pages of a big trash and sorted
        half of it (470 ms a page 50,000 deep at 100,000 trashed; 0.3 ms with the ids)."""
        if not user.is_authenticated:
            return []
        return list(Library.objects.filter(owner=user).values_list("pk", flat=True))

    def in_libraries_of(self, user):
        """What the user sees through libraries alone: what they may put into albums and links,
        and whose faces and people's names they see."""
        return self.filter(library__in=Library.objects.visible_to(user))

    def refusal_for(self, action: Action | str) -> str:
        return self.refusals.get(Action(action)) or super().refusal_for(action)

    def alive(self):
        """Not in the trash."""
        return self.filter(deleted_at__isnull=True)


class Asset(TimestampedModel):
    """One original file in a library, with the metadata lists and filters need."""

    class Kind(models.TextChoices):
        # Labels as Django derives them (so no migration), translated for the pages.
        PHOTO = "photo", _("Photo")
        VIDEO = "video", _("Video")
        AUDIO = "audio", _("Audio")
        OTHER = "other", _("Other")

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
    derivatives_size = models.BigIntegerField(
        default=0, db_default=0, help_text="Bytes of its thumbnail, preview and transcode, measured by the stages that write them"
    )
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
    user_rotation = models.PositiveSmallIntegerField(
        default=0, help_text="Clockwise degrees a user added on top of the file's orientation: 0, 90, 180, 270"
    )

    taken_at_source = models.CharField(
        max_length=16, blank=True, help_text="Which tag won: exif, gps, quicktime, mtime..."
    )
    focal_length_35mm = models.FloatField(null=True, blank=True)
    video_codec = models.CharField(max_length=32, blank=True)
    audio_codec = models.CharField(max_length=32, blank=True)
    frame_rate = models.FloatField(null=True, blank=True)
    rotation = models.SmallIntegerField(null=True, blank=True, help_text="Video display rotation, clockwise degrees")
    has_audio = models.BooleanField(null=True, blank=True)
    phash = models.BigIntegerField(null=True, blank=True, help_text="64-bit perceptual hash (signed)")
    live_photo_id = models.CharField(
        max_length=64, blank=True, help_text="Apple MediaGroupUUID / ContentIdentifier pairing a still and its video"
    )
    motion_photo = models.BooleanField(default=False, help_text="Google/Samsung motion photo with embedded video")

    # What people wrote about it: from the file (XMP dc:title / dc:description, a sidecar's first),
    # or a user's edit, which wins (apps/assets/edits; the file's value is kept in AssetEdit).
    title = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    last_error = models.TextField(blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="Set while the asset is in the trash")
    # Photo quality 0-100 (apps/assets/quality/measure.py), by the "quality" stage; its measures are
    # in AssetQuality. A column of the asset, not of that row, so the list orders by it off one index.
    quality = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Quality score 0-100")
    colour_histogram = VectorField(
        dimensions=64, null=True, blank=True, help_text="Normalised 64-bin RGB histogram from the preview decode"
    )
    # Kept by PostgreSQL from path and taken_at (never written by Django), so the explore reads
    # are index-only scans rather than recomputing an expression per row (tests/benchmarks/bench_explore.py).
    directory = models.GeneratedField(
        expression=Directory(), output_field=models.TextField(), db_persist=True,
        help_text="The folder inside the library: '2024/Rome' for '2024/Rome/IMG_1.jpg', '' at the root",
    )
    capture_day = models.GeneratedField(
        expression=CaptureMonthDay(), output_field=models.SmallIntegerField(), db_persist=True,
        help_text="month * 100 + day of the capture on the camera's clock: what 'on this day' looks up",
    )
    capture_year = models.GeneratedField(
        expression=CaptureYear(), output_field=models.SmallIntegerField(), db_persist=True,
        help_text="The year of the capture on the camera's clock",
    )
    stack = models.ForeignKey(
        "assets.Stack", on_delete=models.SET_NULL, null=True, blank=True, related_name="assets"
    )
    # Kept by apps/assets/stacks/services.py beside `stack`: the stack's cover, on the members that
    # are not it. Lists leave those out while the caller sees the cover (one column, no join per row).
    covered_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The cover of this asset's stack, when this asset is another member of it",
    )
    burst_id = models.CharField(max_length=64, blank=True, help_text="Apple BurstUUID: the shots of one burst")
    unstacked = models.BooleanField(
        default=False, help_text="Taken out of a stack by hand: automatic stacking leaves it alone"
    )

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
            # The map (apps/places): located, not trashed. The INCLUDEd columns let the whole-world
            # clustering (GROUP BY cell over 400,000 rows) read this index alone, with visibility
            # (library, id for album shares) and taken_at, instead of the wide rows (bench_map.py).
            models.Index(
                fields=["latitude", "longitude"], name="asset_located", include=["library", "id", "taken_at"],
                condition=Q(latitude__isnull=False, longitude__isnull=False, deleted_at__isnull=True),
            ),
            # The Trash page: newest trashed first, keyset on (deleted_at, id); the purge reads it too.
            models.Index(
                fields=["-deleted_at", "-id"], name="asset_trash_order", condition=Q(deleted_at__isnull=False)
            ),
            models.Index(fields=["live_photo_id"], name="asset_live_photo", condition=~Q(live_photo_id="")),
            # Keyset orderings the API offers besides the timeline.
            models.Index(fields=["-mtime", "-id"], name="asset_mtime"),
            models.Index(fields=["-size", "-id"], name="asset_size"),
            models.Index(fields=["filename", "id"], name="asset_filename"),
            models.Index(fields=["-quality", "-id"], name="asset_quality",
                         condition=Q(deleted_at__isnull=True, quality__isnull=False)),
            # Folder (path prefix) filter: LIKE 'prefix%' needs pattern ops.
            models.Index(fields=["library", "path"], name="asset_path_prefix", opclasses=["int8_ops", "varchar_pattern_ops"]),
            # "On this day" memories: index-only over the calendar day, the year and the time for the
            # spread, with what visibility and the kind filter read.
            models.Index(
                fields=["capture_day", "capture_year", "taken_at"], include=["library", "kind", "id"],
                name="asset_capture_day", condition=Q(deleted_at__isnull=True),
            ),
            # Camera-setting ranges (apps/assets/camera_filters.py): a rare value (ISO 25,600, 30 s,
            # 600 mm) read 480 ms of the timeline at 1,000,000 rows without one; common values still
            # walk the timeline index, which finds a page of them first (tests/benchmarks/bench_grid.py).
            *(models.Index(fields=[column], name=f"asset_{column}",
                           condition=Q(deleted_at__isnull=True, **{f"{column}__isnull": False}))
              for column in ("iso", "f_number", "exposure_time", "focal_length", "focal_length_35mm")),
            # Folders: a folder's own files in timeline order, and its subfolders by prefix.
            models.Index(
                "library", OpClass(F("directory"), name="text_pattern_ops"), F("taken_at").desc(), F("id").desc(),
                name="asset_directory", condition=Q(deleted_at__isnull=True),
            ),
        ]

    def __str__(self):
        return self.path

    def source_path(self) -> Path:
        """The original on disk, confined to its library root (raises PathOutsideRoot).

        Names that are not UTF-8 are stored encoded (PostgreSQL text cannot hold them).
        """
        return confine(self.library.root_path, decode_path(self.path))


class AssetMetadata(models.Model):
    """The full raw tag dump, kept out of the asset row so lists and scans stay narrow."""

    asset = models.OneToOneField(Asset, on_delete=models.CASCADE, primary_key=True, related_name="metadata")
    tags = models.JSONField(default=dict)

    def __str__(self):
        return f"metadata of {self.asset_id}"


class AssetUserStateQuerySet(VisibleQuerySet):
    def visible_to(self, user, action: Action | str = Action.VIEW):
        """A user's own flags on the assets they see, whatever the action: rating a photo of a
        shared library changes nobody else's state, so seeing the asset is enough."""
        return self.filter(user=user, asset__in=Asset.objects.visible_to(user))


class AssetUserState(models.Model):
    """Per-user favourite, rating and rejected flag: Alice's favourites are not Bob's."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="asset_states")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="user_states")
    favorite = models.BooleanField(default=False)
    rating = models.PositiveSmallIntegerField(default=0, help_text="0-5 stars")
    rejected = models.BooleanField(default=False)
    updated = models.DateTimeField(auto_now=True)

    objects = AssetUserStateQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "asset"], name="assetuserstate_unique"),
            models.CheckConstraint(condition=Q(rating__lte=5), name="assetuserstate_rating_0_5"),
        ]
        indexes = [
            models.Index(fields=["user", "favorite"], name="userstate_favorite", condition=Q(favorite=True)),
        ]

    def __str__(self):
        return f"{self.user_id}:{self.asset_id}"
