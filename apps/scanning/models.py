import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import Role
from apps.core.models import VisibleQuerySet
from apps.core.querysets import Action

from . import fsnames

# Who manages libraries: adds and removes them, scans, pauses and renames them, browses the
# server's folders. The API's collection actions (add, browse) and the pages ask for this role;
# everything done to one library goes through visible_to(user, action).
LIBRARY_MANAGER = Role.SUPERADMIN


class LibraryQuerySet(VisibleQuerySet):
    refusal = "only a superadmin may {action} a library"

    def visible_to(self, user, action: Action | str = Action.VIEW):
        if not user.is_authenticated:
            return self.none()
        if Action(action) != Action.VIEW:
            # Owners and those it is shared with only see a library: a library is a folder on the
            # server, so renaming, pausing, scanning and removing it are the manager's.
            return self if user.has_role(LIBRARY_MANAGER) else self.none()
        if user.is_superuser:
            return self
        # A subquery, not a join on shared_with: a join repeats each library once per share, which
        # needs DISTINCT and multiplies any Count() annotated on top (asset counts, stats).
        shared = Library.shared_with.through.objects.filter(user=user).values("library_id")
        return self.filter(Q(owner=user) | Q(shared_with_all=True) | Q(pk__in=shared))

    def files_changeable_by(self, user):
        """The libraries whose files `user` may create, move, rename and delete (apps/scanning/fileops):
        the same people who may change their assets (Asset.objects.visible_to(user, CHANGE)), the
        owner and a superadmin. Whether the library is writable at all is a state, not a right."""
        if not user.is_authenticated:
            return self.none()
        return self if user.is_superuser else self.filter(owner=user)


class Library(models.Model):
    """A folder of originals indexed in place."""

    name = models.CharField(max_length=200)
    root_path = models.CharField(max_length=4096, unique=True, help_text="Absolute path of the folder")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="libraries")
    read_only = models.BooleanField(default=True, help_text="MediaHub never writes into this folder")
    paused = models.BooleanField(default=False, help_text="Scans and the watcher skip a paused library")
    shared_with_all = models.BooleanField(default=False, help_text="Every user of this MediaHub sees it")
    # The owner's upload library: a folder MediaHub itself writes into (MEDIAHUB_UPLOAD_DIR/<user>).
    is_upload = models.BooleanField(default=False, help_text="The owner's upload library, managed by MediaHub")
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="shared_libraries",
        help_text="Users who also see it",
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "libraries"
        constraints = [
            models.UniqueConstraint(fields=["owner"], condition=Q(is_upload=True), name="library_one_upload_per_owner"),
        ]

    def __str__(self):
        return self.name


class ScanRunQuerySet(VisibleQuerySet):
    """A scan is seen, and acted on, as its library is."""

    refusal = LibraryQuerySet.refusal

    def visible_to(self, user, action: Action | str = Action.VIEW):
        return self.filter(library__in=Library.objects.visible_to(user, action))


class ScanRun(models.Model):
    """One scan of one library: what it found and how it ended."""

    class State(models.TextChoices):
        # Labels as Django derives them (so no migration), translated for the Libraries page.
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="scan_runs")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    files_seen = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    moved = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    error_log = models.JSONField(default=list, blank=True, help_text="[{path, error}], capped")
    created = models.DateTimeField(auto_now_add=True)
    full = models.BooleanField(default=False, help_text="Re-hash every file, not only new and changed ones")
    # The watcher scans only the folders it saw touched (apps/scanning/scope.py); empty: everything.
    scope = models.JSONField(
        default=dict,
        blank=True,
        help_text="{folders: [{path, recursive}], skip: [paths]}; empty: the whole library",
    )
    # Who runs the scan and when it last showed life: a scan left 'running' by a killed process
    # is recognised by these and marked failed, so it cannot block the library forever.
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)

    objects = ScanRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            # At most one active scan per library, enforced by the database.
            models.UniqueConstraint(
                fields=["library"],
                condition=Q(state__in=["queued", "running"]),
                name="scanrun_one_active_per_library",
            ),
        ]

    def __str__(self):
        return f"{self.library} scan {self.pk} ({self.state})"


class AssetStage(models.Model):
    """Per-asset, per-pipeline-stage status: lets any stage be re-run and a crashed scan resume."""

    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=32)
    done_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["asset", "stage"], name="assetstage_unique")]
        indexes = [models.Index(fields=["stage", "done_at"], name="assetstage_pending")]

    def __str__(self):
        return f"{self.asset_id}:{self.stage}"


class UploadQuerySet(VisibleQuerySet):
    refusal = "only its uploader may {action} an upload"

    def visible_to(self, user, action: Action | str = Action.VIEW):
        """An upload in progress is its uploader's alone, for every action: nobody else may read
        where it stands, add to it or cancel it (not even a superadmin, who sees the asset once it
        is indexed)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class Upload(models.Model):
    """One file on its way into its owner's upload library: while `receiving`, its bytes are in
    a partial file named after the id (storage.partial_path), never under their final name."""

    class State(models.TextChoices):
        RECEIVING = "receiving"
        DONE = "done"

    class Outcome(models.TextChoices):
        CREATED = "created"
        DUPLICATE = "duplicate"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads")
    filename = models.CharField(max_length=255)
    length = models.BigIntegerField(help_text="Bytes announced (tus Upload-Length)")
    offset = models.BigIntegerField(default=0, help_text="Bytes received when last written")
    metadata = models.JSONField(default=dict, blank=True, help_text="tus Upload-Metadata, decoded")
    kind = models.CharField(max_length=8, blank=True, help_text="Sniffed from the first bytes")
    state = models.CharField(max_length=10, choices=State.choices, default=State.RECEIVING)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    # Chosen before the file is linked into place, so finishing again after a crash finds it.
    target_path = models.CharField(max_length=4096, blank=True)
    asset = models.ForeignKey("assets.Asset", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, help_text="Last activity; idle partial uploads expire")

    objects = UploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["state", "updated"], name="upload_expiry")]

    def __str__(self):
        return f"{self.filename} ({self.offset}/{self.length})"


class IgnoredPath(models.Model):
    """A file of a read-only library deleted for good: MediaHub cannot remove it from the folder,
    so scans leave it out instead of indexing it again. "Include again" deletes the row."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="ignored_paths")
    path = models.CharField(max_length=4096, help_text="Relative path, stored as Asset.path stores it")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["library", "path"], name="ignoredpath_unique_per_library")]

    def __str__(self):
        return self.path

    @property
    def display_path(self) -> str:
        return fsnames.display_name(fsnames.decode_path(self.path))


class FileOperationQuerySet(VisibleQuerySet):
    refusal = "only the library's owner can {action} its files"

    def visible_to(self, user, action: Action | str = Action.VIEW):
        """An operation (and where it stands) is seen, and acted on, by those who may change the
        files of its library: it names files they could otherwise not list."""
        return self.filter(library__in=Library.objects.files_changeable_by(user))


class FileOperation(models.Model):
    """One file operation asked for in a writable library (create a folder, move, copy, rename,
    flatten, delete): a job whose planned steps are its items, the journal a restarted worker
    resumes from (apps/scanning/fileops/)."""

    class Kind(models.TextChoices):  # labels: the Jobs page's failures, in the reader's language
        MKDIR = "mkdir", _("New folder")
        MOVE = "move", _("Move")
        COPY = "copy", _("Copy")
        RENAME = "rename", _("Rename")
        FLATTEN = "flatten", _("Flatten")
        DELETE = "delete", _("Delete")

    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="file_operations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    destination = models.CharField(
        max_length=4096, blank=True, help_text="Folder (or new name) it acts towards"
    )
    total = models.PositiveIntegerField(default=0, help_text="Planned steps")
    done = models.PositiveIntegerField(default=0, help_text="Steps done")
    failed = models.PositiveIntegerField(default=0, help_text="Steps that could not be done")
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    # Who runs it and when it last showed life: a job left 'running' by a killed worker is put back
    # in the queue by the reconciliation (apps/scanning/recovery.py) and resumed from its items.
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)

    objects = FileOperationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("file operation")
        constraints = [
            # One operation at a time per library: two could each plan a target the other takes.
            models.UniqueConstraint(
                fields=["library"], condition=Q(state__in=["queued", "running"]),
                name="fileop_one_active_per_library",
            ),
        ]

    def __str__(self):
        return f"{self.kind} in {self.library_id} ({self.state})"


class FileOperationItem(models.Model):
    """One planned step of a file operation, in order: a file or folder moved from `source` to
    `target` (both relative, stored as Asset.path stores them), a file copied, a folder made.
    `done` is written in the transaction that updates the index, so done means on disk and in it."""

    class Step(models.TextChoices):
        MOVE = "move"  # a file or a whole folder, one rename
        COPY = "copy"  # one file
        MKDIR = "mkdir"

    class State(models.TextChoices):
        PLANNED = "planned"
        DONE = "done"
        FAILED = "failed"

    operation = models.ForeignKey(FileOperation, on_delete=models.CASCADE, related_name="items")
    seq = models.PositiveIntegerField()
    step = models.CharField(max_length=5, choices=Step.choices)
    source = models.CharField(max_length=4096, blank=True)
    target = models.CharField(max_length=4096)
    is_dir = models.BooleanField(default=False)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PLANNED)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["operation", "seq"]
        constraints = [models.UniqueConstraint(fields=["operation", "seq"], name="fileopitem_unique_seq")]
        indexes = [models.Index(fields=["operation", "state", "seq"], name="fileopitem_todo")]

    def __str__(self):
        return f"{self.step} {self.source} -> {self.target} ({self.state})"
