"""Albums, their items and members, and public share links.

Who may do what (one `visible_to(user, action)` per model, see apps/core/querysets.py):

    album   view: owner, members, superadmin   change (add items): owner, contributors
            manage (title, cover, order, members, links) and delete: owner (and superadmin)
    item    view: as its album     change/delete: the album's owner, or the contributor who added it
    member  view: as the album     change/delete/manage: the album's owner (a member may also leave)
    link    everything: the person who made it (and the album's owner for an album's links)

An asset in an album shared with you becomes visible to you (apps.assets' `visible_to` asks
`AlbumItem.objects.shared_with(user)`), for viewing only. Item rows copy their asset's capture time
and trash state (`taken_at`, `trashed`), kept by database triggers (migration 0002): date-ordered
pages of a 100,000-item album are then read off one index, and the album's count and date range
follow whatever changes an asset, queryset updates included.
"""

import secrets

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import BooleanField, Case, F, Func, OuterRef, Q, Subquery, UUIDField, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.assets.models import Asset
from apps.core.querysets import Action, VisibleQuerySet

# Positions are gapped so a move writes one row: a new item goes GAP after the last, a moved one
# halfway between its new neighbours; only when two neighbours touch is the album renumbered.
POSITION_GAP = 1 << 16


class Role(models.TextChoices):
    VIEWER = "viewer"
    CONTRIBUTOR = "contributor"


class _AnyOf(Func):
    """`value = ANY(array)`."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        (value, value_params), (array, array_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        return f"{value} = ANY({array})", (*value_params, *array_params)


def _first_item(field: str, descending: bool = False):
    order = [f"-{field}", "-id"] if descending else [field, "id"]
    items = AlbumItem.objects.filter(album=OuterRef("pk"), trashed=False).order_by(*order)
    return Subquery(items.values("asset_id")[:1], output_field=UUIDField())


def _memberships(user, roles=(Role.VIEWER, Role.CONTRIBUTOR)):
    return AlbumMember.objects.filter(user=user, role__in=roles).values("album_id")


class AlbumQuerySet(VisibleQuerySet):
    refusals = {
        Action.CHANGE: "only the album's owner and its contributors may add to this album",
    }
    refusal = "only the album's owner may {action} this album"

    def visible_to(self, user, action: Action | str = Action.VIEW):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        action = Action(action)
        if action == Action.VIEW:
            return self.filter(Q(owner=user) | Q(pk__in=_memberships(user)))
        if action == Action.CHANGE:
            return self.filter(Q(owner=user) | Q(pk__in=_memberships(user, [Role.CONTRIBUTOR])))
        return self.filter(owner=user)

    def refusal_for(self, action: Action | str) -> str:
        return self.refusals.get(Action(action)) or super().refusal_for(action)

    def regular(self):
        return self.filter(kind=Album.Kind.REGULAR)

    def with_covers(self, user):
        """`shown_cover` (the chosen cover while it is not in the trash, else the first item in the
        album's order) and `my_role` (the user's membership), each a subquery on an index: lists
        cost the same queries for 10 albums or 1,000."""
        first = Case(
            When(sort=Album.Sort.DATE_ASC, then=_first_item("taken_at")),
            When(sort=Album.Sort.DATE_DESC, then=_first_item("taken_at", descending=True)),
            default=_first_item("position"),
            output_field=UUIDField(),
        )
        chosen = Case(When(cover__deleted_at__isnull=True, then=F("cover_id")), output_field=UUIDField())
        role = AlbumMember.objects.filter(album=OuterRef("pk"), user=user).values("role")[:1]
        return self.annotate(shown_cover=Coalesce(chosen, first), my_role=Subquery(role))


class Album(models.Model):
    class Sort(models.TextChoices):
        MANUAL = "manual"
        DATE_ASC = "date_asc", "date ascending"
        DATE_DESC = "date_desc", "date descending"

    class Kind(models.TextChoices):
        REGULAR = "regular"
        SMART = "smart", "smart (a saved search)"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="albums")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.REGULAR)
    query = models.JSONField(
        default=dict,
        blank=True,
        help_text="Smart albums: the /api/search/ parameters, evaluated for each viewer",
    )
    cover = models.ForeignKey(
        Asset,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Left empty: the first item in the album's order",
    )
    sort = models.CharField(max_length=10, choices=Sort.choices, default=Sort.MANUAL)
    allow_download = models.BooleanField(default=True, help_text="Members may download the originals")
    # Kept by triggers on the items (migration 0002): items not in the trash, their earliest and
    # latest capture time.
    item_count = models.PositiveIntegerField(default=0, editable=False)
    start_at = models.DateTimeField(null=True, blank=True, editable=False)
    end_at = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = AlbumQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["owner", "-created", "-id"], name="album_owner_created")]

    def __str__(self):
        return self.title

    @property
    def is_smart(self) -> bool:
        return self.kind == self.Kind.SMART

    def downloadable_by(self, user) -> bool:
        """Whether `user`, who sees the album, may take its originals (one by one or as a ZIP)."""
        return self.owner_id == user.pk or user.is_superuser or self.allow_download


class AlbumItemQuerySet(VisibleQuerySet):
    refusal = "only the album's owner, or the contributor who added it, may {action} this item"

    def visible_to(self, user, action: Action | str = Action.VIEW):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if Action(action) == Action.VIEW:
            return self.filter(album__in=Album.objects.visible_to(user))
        if Action(action) == Action.MANAGE:
            return self.filter(album__owner=user)
        contributed = Q(added_by=user, album__in=_memberships(user, [Role.CONTRIBUTOR]))
        return self.filter(Q(album__owner=user) | contributed)

    def alive(self):
        return self.filter(trashed=False)

    def shared_with(self, user, downloads: bool = False):
        """Ids of the assets in albums shared with `user` (as a member, not as the owner: an owner's
        own albums hold what their libraries already show). For `Asset.visible_to`."""
        memberships = AlbumMember.objects.filter(user=user)
        if downloads:
            memberships = memberships.filter(album__allow_download=True)
        # album_id = ANY(ARRAY(...)), not IN (SELECT ...): the planner reads an IN as "albums of an
        # average size" and scans every item of every album (18 ms beside a 100,000-item album);
        # the array is read through the (album, asset) index (1 ms for 50 albums of 100).
        albums = ArraySubquery(memberships.order_by().values("album_id"))
        return self.filter(_AnyOf(F("album_id"), albums)).order_by().values("asset_id")


class AlbumItem(models.Model):
    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="items", db_index=False)
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="album_items")
    position = models.BigIntegerField(help_text="Manual order; gapped, see POSITION_GAP")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    # Copies of the asset's, kept by triggers: capture time (file time when undated) and trash.
    taken_at = models.DateTimeField(null=True, editable=False)
    trashed = models.BooleanField(default=False, editable=False)

    objects = AlbumItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["album", "asset"], name="albumitem_once_per_album")]
        indexes = [
            # One index per album order; a page at any depth is a keyset range scan on one of them.
            # Whole, not partial on `trashed`: appending reads max(position) over every item, and
            # the few trashed rows a page steps over cost nothing.
            models.Index(fields=["album", "position", "id"], name="albumitem_manual"),
            models.Index(fields=["album", "taken_at", "id"], name="albumitem_taken"),
        ]

    def __str__(self):
        return f"{self.asset_id} in {self.album_id}"


class AlbumMemberQuerySet(VisibleQuerySet):
    refusal = "only the album's owner may {action} its members"

    def visible_to(self, user, action: Action | str = Action.VIEW):
        if not user.is_authenticated:
            return self.none()
        if Action(action) == Action.VIEW:
            return self.filter(album__in=Album.objects.visible_to(user))
        mine = Q(album__in=Album.objects.visible_to(user, Action.MANAGE))
        # Anyone may leave an album shared with them.
        return self.filter(mine | Q(user=user)) if Action(action) == Action.DELETE else self.filter(mine)


class AlbumMember(models.Model):
    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="members", db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="album_memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.VIEWER)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = AlbumMemberQuerySet.as_manager()

    class Meta:
        ordering = ["album", "added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["album", "user"], name="albummember_once")]

    def __str__(self):
        return f"{self.user} ({self.role}) in {self.album}"


def in_album(album_id, user) -> Q:
    """Assets of the album `album_id` when `user` can see that album, else nothing (the `album=`
    filter: no one learns what is in an album not shared with them)."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    albums = Album.objects.visible_to(user).filter(pk=album_id)
    return Q(pk__in=AlbumItem.objects.filter(album__in=albums).values("asset_id"))


def new_token() -> str:
    """192 random bits, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


class ShareLinkQuerySet(VisibleQuerySet):
    refusal = "only the person who made this link may {action} it"

    def visible_to(self, user, action: Action | str = Action.VIEW):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(Q(owner=user) | Q(album__owner=user))

    def active(self):
        return self.filter(revoked_at__isnull=True)


class ShareLink(models.Model):
    """A public link to an album, or to hand-picked assets, for people without an account."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    album = models.ForeignKey(Album, null=True, blank=True, on_delete=models.CASCADE, related_name="links")
    assets = models.ManyToManyField(Asset, blank=True, related_name="+", help_text="Hand-picked (no album)")
    title = models.CharField(max_length=200, blank=True, help_text="Shown to visitors of a hand-picked link")
    # Kept readable, unlike API keys: the owner copies the link again later. 192 random bits.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    password = models.CharField(max_length=128, blank=True, help_text="A password hash; empty: none")
    expires_at = models.DateTimeField(null=True, blank=True)
    allow_download = models.BooleanField(default=True)
    show_metadata = models.BooleanField(default=True, help_text="Off: no GPS or camera data is served")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"link to {self.album or self.title or 'photos'}"

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def has_password(self) -> bool:
        return bool(self.password)
