"""What a user's edit keeps from the file: the groups of Asset fields an edit overrides, and how the
metadata stage honours them (apps/assets/edits writes them).

The asset's columns always hold the effective value (the edit where there is one), so every query
follows an edit; AssetEdit.original holds the file's value of each overridden group. A rescan or a
Refresh reads the file again: its values land in AssetEdit.original, never over the edit.
"""

from datetime import UTC, datetime

from apps.assets.models import Asset, AssetEdit

GROUPS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "description": ("description",),
    "taken_at": ("taken_at", "taken_at_offset", "taken_at_source"),
    "location": ("latitude", "longitude", "altitude"),
}


def to_json(value):
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value


def from_json(field: str, value):
    return datetime.fromisoformat(value) if field == "taken_at" and value is not None else value


def values_of(asset: Asset, group: str) -> dict:
    """The asset's current values of a group, as AssetEdit.original stores them."""
    return {name: to_json(getattr(asset, name)) for name in GROUPS[group]}


def keep_overrides(asset: Asset, read: dict) -> set[str]:
    """For a metadata read of `asset` ({field: the file's value}): record the file's values of the
    overridden groups in the asset's edit and return those fields, which the caller must not write.
    Call inside the transaction that saves the asset (the edit row is locked until then)."""
    edit = AssetEdit.objects.select_for_update().filter(asset_id=asset.pk).first()
    if edit is None:
        return set()
    kept: set[str] = set()
    for group, fields in GROUPS.items():
        if group in edit.original:
            edit.original[group] = {name: to_json(read.get(name)) for name in fields}
            kept.update(fields)
    edit.save(update_fields=["original", "updated"])
    return kept
