"""Tags: hierarchical keywords (`Places/Italy/Rome`, Lightroom's hierarchical keywords) with a colour.

Who owns what, and why:

    user tag   owner = the user who made it. Private: listed, counted and usable in filters by its
               owner only (and the superadmin). A user may put their tags on any photo they can see
               (like a favourite, it is their own organisation, not a change to the photo).
    file tag   owner = NULL, source = "file": a keyword written into the file (dc:subject,
               lr:hierarchicalSubject, XP keywords), shared by everyone who can see a photo carrying
               it. It belongs to no user because it belongs to the file: a tag row is visible to
               whoever sees at least one photo linked to it, so its name never shows up for someone
               who cannot see a photo that has it. Renaming, merging, recolouring or deleting one
               changes what everyone sees: the superadmin's job; the library's owner may take it off
               their photos.

Counts and covers are always taken over the assets the caller can see (never a stored count), so
no tag listing reveals a photo the caller cannot see.

A path's `key` is its case-folded form: unique per owner (and among file tags), and the prefix a
parent matches its descendants with (`key = 'places' OR key LIKE 'places/%'`, on a pattern index).
Assets keep their links while in the trash, so a restore brings their tags back.
"""

import re

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Exists, OuterRef, Q

from apps.assets.models import Asset
from apps.core.querysets import Action, VisibleQuerySet

SEPARATOR = "/"
MAX_PATH = 255
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def tag_key(path: str) -> str:
    return path.casefold()


class TagQuerySet(VisibleQuerySet):
    refusal = "only the tag's owner can {action} this tag"
    refusals = {
        Action.CHANGE: "file keywords are shared by everyone who sees the photos: only an administrator may change them",
    }

    def visible_to(self, user, action: Action | str = Action.VIEW):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if Action(action) == Action.VIEW:
            seen = AssetTag.objects.filter(tag=OuterRef("pk"), asset__in=Asset.objects.visible_to(user))
            return self.filter(Q(owner=user) | Q(owner__isnull=True, source=Tag.Source.FILE) & Exists(seen))
        return self.filter(owner=user)

    def refusal_for(self, action: Action | str) -> str:
        if Action(action) in (Action.CHANGE, Action.DELETE, Action.MANAGE):
            return self.refusals[Action.CHANGE]
        return super().refusal_for(action)

    def usable_by(self, user):
        """The tags whose names a user's filters resolve to: their own and the file keywords
        (matches stay within the assets they can see, so an invisible file tag finds nothing)."""
        return self.filter(Q(owner=user) | Q(owner__isnull=True))

    def under(self, path: str):
        """The tag at `path` and its descendants (case-insensitive)."""
        key = tag_key(path.strip(SEPARATOR))
        return self.filter(Q(key=key) | Q(key__startswith=key + SEPARATOR))


class Tag(models.Model):
    class Source(models.TextChoices):
        USER = "user"
        FILE = "file", "the file's keywords"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="tags", help_text="Empty for keywords read from files")
    path = models.CharField(max_length=MAX_PATH, help_text="Levels separated by /, e.g. Places/Italy/Rome")
    key = models.CharField(max_length=MAX_PATH, editable=False)
    colour = models.CharField(max_length=7, blank=True, help_text="#rrggbb")
    source = models.CharField(max_length=4, choices=Source.choices, default=Source.USER)
    created = models.DateTimeField(auto_now_add=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="tag_owner_key",
                                    condition=Q(owner__isnull=False)),
            models.UniqueConstraint(fields=["key"], name="tag_file_key", condition=Q(owner__isnull=True)),
        ]
        indexes = [models.Index(fields=["key"], name="tag_key_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.path

    def save(self, *args, **kwargs):
        self.key = tag_key(self.path)
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.path.rsplit(SEPARATOR, 1)[-1]

    @property
    def parent_path(self) -> str:
        return self.path.rsplit(SEPARATOR, 1)[0] if SEPARATOR in self.path else ""


class AssetTagQuerySet(models.QuerySet):
    def seen_by(self, user):
        """Links the user may see: on assets they see, of tags they may use."""
        return self.filter(asset__in=Asset.objects.visible_to(user), tag__in=Tag.objects.usable_by(user))


class AssetTag(models.Model):
    """A tag on an asset. (tag, asset) is unique and is the index tag filters probe; (asset) serves
    a photo's own tags."""

    # No single-column indexes: the two composite ones below lead with each column.
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="tag_links", db_index=False)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="links", db_index=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = AssetTagQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "asset"], name="assettag_tag_asset")]
        indexes = [models.Index(fields=["asset", "tag"], name="assettag_asset_tag")]

    def __str__(self):
        return f"{self.tag_id} on {self.asset_id}"


class AssetTagSet(models.Model):
    """The ids of every tag on an asset, kept exact by statement triggers on AssetTag (migration
    0002): bulk_create, merges and cascades from a deleted tag or asset included, without a service
    having to remember it. Its GIN index finds the candidates of a tag filter (`tag_ids && {ids}`
    per term) in one scan, however many terms; an asset without tags has no row. Only a candidate
    filter: which assets and which tags a user may see is still decided by the querysets."""

    asset = models.OneToOneField(Asset, on_delete=models.CASCADE, primary_key=True, related_name="tag_set")
    tag_ids = ArrayField(models.BigIntegerField())

    class Meta:
        indexes = [GinIndex(fields=["tag_ids"], name="assettagset_tag_ids")]

    def __str__(self):
        return f"{self.asset_id}: {self.tag_ids}"
