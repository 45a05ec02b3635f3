"""Persisted duplicate groups with their evidence, and stacks."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from apps.core.querysets import Action, VisibleQuerySet

from .asset import Asset


class StackQuerySet(VisibleQuerySet):
    refusal = "only the owner of every photo in the stack can change it"

    def visible_to(self, user, action: Action | str = Action.VIEW):
        """View: a stack with a member the user sees (they see only those members). Change: every
        member is one the user may change, so a stack never joins or splits someone else's files."""
        action = Action(action)
        member = Asset.objects.filter(stack=OuterRef("pk"))
        if action in (Action.VIEW, Action.DOWNLOAD):
            return self.filter(Exists(member.alive().visible_to(user, action)))
        changeable = Asset.objects.visible_to(user, Action.CHANGE).values("pk")
        return self.filter(Exists(member)).exclude(Exists(member.exclude(pk__in=changeable)))


class Stack(models.Model):
    """Assets shown as one tile: the primary (the cover) stands for the others (bursts, RAW+JPEG,
    live photos, kept duplicates, stacks made by hand). apps/assets/stacks holds the logic."""

    class Kind(models.TextChoices):
        # Labels as Django derives them (so no migration), translated for the pages.
        MANUAL = "manual", _("Manual")
        RAW_JPEG = "raw_jpeg", _("Raw Jpeg")
        BURST = "burst", _("Burst")
        LIVE = "live", _("Live")
        DUPLICATES = "duplicates", _("Duplicates")

    primary = models.ForeignKey("assets.Asset", on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MANUAL)
    created = models.DateTimeField(auto_now_add=True)

    objects = StackQuerySet.as_manager()

    def __str__(self):
        return f"stack {self.pk}"


class DuplicateGroupQuerySet(VisibleQuerySet):
    refusal = "only the owner of every file in the group can resolve it"

    def visible_to(self, user, action: Action | str = Action.VIEW):
        """Groups whose every member is open to `action`: one member the user cannot see hides the
        whole group (its evidence would leak that file), and resolving a group changes or trashes
        every member, so it needs the right to change each of them."""
        member_action = Action.VIEW if Action(action) == Action.VIEW else Action.CHANGE
        out_of_reach = DuplicateMember.objects.filter(group=OuterRef("pk")).exclude(
            asset__in=Asset.objects.visible_to(user, member_action)
        )
        return self.filter(~Exists(out_of_reach))

    def open(self):
        return self.filter(resolved_at__isnull=True)


class DuplicateGroup(models.Model):
    class Kind(models.TextChoices):
        EXACT = "exact"  # same content hash: byte-identical files
        NEAR = "near"  # pHash within the threshold: resized, re-encoded, lightly edited copies

    class Resolution(models.TextChoices):
        KEPT_ONE = "kept_one", _("Kept One")
        KEPT_ALL = "kept_all", _("Kept All")
        STACKED = "stacked", _("Stacked")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                              help_text="Owner of the libraries the members live in; groups never mix owners")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    signature = models.CharField(max_length=64, help_text="Hash of kind + sorted member ids: the same set is the same group")
    created = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=8, choices=Resolution.choices, blank=True)
    kept = models.ForeignKey("assets.Asset", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = DuplicateGroupQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind", "signature"], name="duplicategroup_unique_set"),
        ]
        indexes = [
            models.Index(fields=["-created", "-id"], name="duplicategroup_open",
                         condition=models.Q(resolved_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.kind} group {self.pk}"


class DuplicateMember(models.Model):
    """One asset of a group, with why it is there, measured against the group's reference (best) member."""

    group = models.ForeignKey(DuplicateGroup, on_delete=models.CASCADE, related_name="members")
    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="duplicate_memberships")
    distance = models.PositiveSmallIntegerField(null=True, blank=True, help_text="pHash bits differing from the reference")
    hash_match = models.BooleanField(default=False, help_text="Same content hash as the reference")
    is_reference = models.BooleanField(default=False, help_text="The suggested one to keep")

    class Meta:
        ordering = ["-is_reference", "distance", "asset_id"]
        constraints = [models.UniqueConstraint(fields=["group", "asset"], name="duplicatemember_unique")]

    def __str__(self):
        return f"{self.asset_id} in {self.group_id}"
