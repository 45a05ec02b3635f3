"""Faces found in assets and the people they are grouped into.

Embeddings: one fixed-dimension pgvector column per embedding family, each with its own HNSW index
(cosine), because a vector column and its index need one dimension. SFace (offline default) fills
`embedding` (128-d); insightface ArcFace fills `embedding_512`. `Face.backend` says which, so
clustering never compares vectors of two models.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_lazy
from pgvector.django import HnswIndex, VectorField

from apps.accounts.roles import Role
from apps.assets.models import Asset
from apps.core.querysets import Action, VisibleQuerySet


class FaceQuerySet(VisibleQuerySet):
    refusal = "only the owner of the library can {action} this face"

    def visible_to(self, user, action=Action.VIEW):
        """Faces on the alive photos `user` may `action`: saying who is in a photo changes what the
        photo says, so changing a face needs the right to change its photo (the library's owner,
        or a superadmin); seeing it through a share is not enough. Seeing goes through libraries
        only: faces (and so people's names) on a photo shared through an album stay the owner's."""
        if Action(action) == Action.VIEW:
            return self.filter(asset__in=Asset.objects.in_libraries_of(user).alive())
        return self.filter(asset__in=Asset.objects.visible_to(user, action).alive())


class PersonQuerySet(VisibleQuerySet):
    refusal = (
        "this person also appears in photos you cannot see or change; "
        "only an admin who sees them all can {action} this person"
    )

    def visible_to(self, user, action=Action.VIEW):
        """VIEW: people with at least one face `user` sees (people are derived from photos, so
        seeing a person never reveals more than the photos one already sees).

        Any other action (rename, hide, cover, delete, merge) changes the person for everyone who
        sees it, so it needs more than seeing one face: a user may change every face of it (all
        in libraries they may change); people management is the admin role's, so an admin needs
        only to see every face; a superadmin sees them all, even those on photos in the trash."""
        if not user.is_authenticated:
            return self.none()
        seen = Face.objects.visible_to(user)
        people = self.filter(pk__in=seen.filter(person__isnull=False).values("person"))
        if Action(action) == Action.VIEW or user.is_superuser:
            return people
        allowed = seen if user.has_role(Role.ADMIN) else Face.objects.visible_to(user, action)
        outside = Face.objects.filter(person=OuterRef("pk")).exclude(pk__in=allowed.values("pk"))
        return people.exclude(Exists(outside))

    def as_seen_by(self, user):
        """Each person with the counts and cover `user` may know of: `visible_faces` (their faces
        `user` sees) and `cover_id` (the chosen cover when `user` sees it, else their best face
        `user` sees). A cover on someone else's photo must not leak through the thumbnail."""
        faces = Face.objects.visible_to(user)
        chosen = faces.filter(pk=OuterRef("cover_face_id")).values("pk")
        best = faces.filter(person=OuterRef("pk")).order_by("-score", "pk").values("pk")[:1]
        counted = faces.filter(person=OuterRef("pk")).order_by().values("person").annotate(n=Count("pk"))
        return self.annotate(
            cover_id=Coalesce(Subquery(chosen), Subquery(best)),
            visible_faces=Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0),
        )


class Person(models.Model):
    name = models.CharField(max_length=200, blank=True)
    cover_face = models.ForeignKey("Face", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hidden = models.BooleanField(default=False)
    face_count = models.PositiveIntegerField(default=0)  # denormalised for the people grid
    # Mean of the person's (unit) face embeddings, one column per embedding family like Face; kept
    # by clustering and merges, used for merge suggestions and for assigning new faces.
    centroid = VectorField(dimensions=128, null=True, blank=True)
    centroid_512 = VectorField(dimensions=512, null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["-face_count", "id"]

    def __str__(self):
        return self.name or gettext("Person %(number)s") % {"number": self.pk}


class Face(models.Model):
    class AssignedBy(models.TextChoices):
        AUTO = "auto"
        USER = "user"

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="faces")
    # Box and landmarks in pixels of the stored preview the face was found in; preview_width lets
    # clients scale them to any rendering of the asset.
    x = models.PositiveIntegerField()
    y = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    preview_width = models.PositiveIntegerField()
    preview_height = models.PositiveIntegerField()
    landmarks = models.JSONField(default=list)
    score = models.FloatField()
    backend = models.CharField(max_length=32)
    embedding = VectorField(dimensions=128, null=True, blank=True)
    embedding_512 = VectorField(dimensions=512, null=True, blank=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="faces")
    assigned_by = models.CharField(max_length=8, choices=AssignedBy.choices, default=AssignedBy.AUTO)
    created = models.DateTimeField(auto_now_add=True)

    objects = FaceQuerySet.as_manager()

    class Meta:
        ordering = ["asset_id", "x"]
        indexes = [
            HnswIndex(
                name="face_embedding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            HnswIndex(
                name="face_embedding_512_hnsw",
                fields=["embedding_512"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            models.Index(fields=["person"], name="face_person_idx"),
        ]

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.x, self.y, self.width, self.height)

    def vector(self):
        return self.embedding_512 if self.embedding_512 is not None else self.embedding


def shows_person(person_id) -> models.Exists:
    """An Asset condition: the asset shows this person. EXISTS rather than a join, so an asset with
    the person twice is still one row."""
    return models.Exists(Face.objects.filter(asset=models.OuterRef("pk"), person_id=person_id))


class FaceRejection(models.Model):
    """"Not this person": clustering must never put this face back into this person."""

    face = models.ForeignKey(Face, on_delete=models.CASCADE, related_name="rejections")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rejections")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["face", "person"], name="face_rejection_unique")]


class DismissedSuggestion(models.Model):
    """"Not the same" on a merge suggestion: this user is not offered the pair again. Kept per user
    (the suggestions are each user's own review) and gone with either person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The lower person id first, so a pair is one row whichever way round it was dismissed.
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "person_a", "person_b"], name="dismissed_suggestion_unique"),
            models.CheckConstraint(condition=models.Q(person_a__lt=models.F("person_b")), name="dismissed_suggestion_ordered"),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.person_a_id} is not {self.person_b_id}"


class FaceSettings(models.Model):
    """Admin overrides of the MEDIAHUB_FACE_* defaults, kept in one row (pk=1).

    A null field means "the environment's default", so changing an env var still takes effect for
    whatever the admin did not set (see apps.people.services.face_settings).
    """

    min_score = models.FloatField(null=True, blank=True)
    min_size = models.PositiveIntegerField(null=True, blank=True)
    excluded_extensions = models.JSONField(null=True, blank=True)
    max_distance = models.FloatField(null=True, blank=True)
    min_neighbours = models.PositiveIntegerField(null=True, blank=True)
    min_cluster_size = models.PositiveIntegerField(null=True, blank=True)
    algorithm = models.CharField(max_length=16, blank=True)
    merge_distance = models.FloatField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name_plural = "face settings"


class FaceJobQuerySet(VisibleQuerySet):
    def visible_to(self, user, action=Action.VIEW):
        """Face jobs act on every library at once (their counts are the installation's): they are
        the admin role's to see and run."""
        if not user.is_authenticated or not user.has_role(Role.ADMIN):
            return self.none()
        return self


class FaceJob(models.Model):
    """One detection run or re-cluster started from the API: what the status endpoint polls, what
    stop cancels (queued batches read their job's state and skip), and the 409 guard."""

    class Kind(models.TextChoices):  # labels: the Jobs page's failures, in the reader's language
        DETECT = "detect", gettext_lazy("Face detection")
        RECLUSTER = "recluster", gettext_lazy("Face re-clustering")

    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        STOPPED = "stopped"
        FAILED = "failed"

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    objects = FaceJobQuerySet.as_manager()

    kind = models.CharField(max_length=16, choices=Kind.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    assets_total = models.PositiveIntegerField(default=0)
    batches_total = models.PositiveIntegerField(default=0)
    batches_done = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            # The database, not a check-then-insert, makes a second concurrent start a 409.
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(state__in=["queued", "running"]),
                name="face_job_one_active_per_kind",
            )
        ]

    def __str__(self):
        return f"{self.kind} job {self.pk} ({self.state})"
