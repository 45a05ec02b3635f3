"""Per-user asset state (favourite, rating, rejected): Alice's favourites are not Bob's.

Every asset id is checked against `Asset.objects.visible_to(user)` before anything is written:
seeing an asset is enough to flag it, since the flags are the caller's own.
"""

from django.db.models import F, FilteredRelation, Q
from django.db.models.functions import Coalesce

from apps.core.errors import NotFound

from .models import Asset, AssetUserState

STATE_FIELDS = ("favorite", "rating", "rejected")
# What each batch action writes; "rate" writes the rating given with it.
ACTIONS = {
    "favorite": {"favorite": True},
    "unfavorite": {"favorite": False},
    "reject": {"rejected": True},
    "unreject": {"rejected": False},
    "rate": None,
}
MAX_BATCH = 5000


class AssetsNotFound(NotFound):
    """Some ids are not assets this user can see (whether they exist is not said); `ids` lists them."""

    def __init__(self, ids):
        super().__init__("Some assets were not found; nothing was changed.")
        self.ids = sorted(str(i) for i in ids)


def _upsert(user, asset_ids, changes: dict) -> int:
    """One INSERT ... ON CONFLICT DO UPDATE for all rows, whatever their number (no N+1)."""
    rows = [AssetUserState(user=user, asset_id=asset_id, **changes) for asset_id in asset_ids]
    AssetUserState.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user", "asset"], update_fields=[*changes, "updated"]
    )
    return len(rows)


def state_of(user, asset) -> AssetUserState:
    """The user's state of a visible asset; defaults when they never touched it."""
    existing = AssetUserState.objects.filter(user=user, asset=asset).first()
    return existing or AssetUserState(user=user, asset=asset)


def update_state(user, asset, changes: dict) -> AssetUserState:
    """Set some of favorite/rating/rejected on one asset already fetched through visible_to."""
    changes = {key: value for key, value in changes.items() if key in STATE_FIELDS}
    if changes:
        _upsert(user, [asset.pk], changes)
    return state_of(user, asset)


def apply_action(user, asset_ids, action: str, rating: int | None = None) -> int:
    """A batch action on many assets, all or nothing: any id the user cannot see fails the whole batch."""
    changes = {"rating": rating} if action == "rate" else ACTIONS[action]
    wanted = set(asset_ids)
    found = set(Asset.objects.visible_to(user).alive().filter(pk__in=wanted).values_list("pk", flat=True))
    if missing := wanted - found:
        raise AssetsNotFound(missing)
    return _upsert(user, found, changes)


def mark_states(assets, user):
    """The same three attributes on assets already read (an album's items reach their assets through
    the item): one query for the page, none per row. Someone signed out has no flags."""
    states = {}
    if user is not None and user.is_authenticated and assets:
        rows = AssetUserState.objects.filter(user=user, asset_id__in=[asset.pk for asset in assets])
        states = {row[0]: row[1:] for row in rows.values_list("asset_id", "favorite", "rating", "rejected")}
    for asset in assets:
        asset.my_favorite, asset.my_rating, asset.my_rejected = states.get(asset.pk, (False, 0, False))
    return assets


def with_user_state(assets, user):
    """Annotate `my_favorite`, `my_rating`, `my_rejected` with one LEFT JOIN (for lists and details)."""
    return assets.annotate(
        my_state=FilteredRelation("user_states", condition=Q(user_states__user=user.pk)),
        my_favorite=Coalesce(F("my_state__favorite"), False),
        my_rating=Coalesce(F("my_state__rating"), 0),
        my_rejected=Coalesce(F("my_state__rejected"), False),
    )
