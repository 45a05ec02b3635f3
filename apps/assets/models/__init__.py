"""The assets app's models. Django finds an app's models only through this package, so every
module of it is imported here; import from `apps.assets.models`, not from the modules."""

from .asset import Asset, AssetMetadata, AssetQuerySet, AssetUserState, AssetUserStateQuerySet
from .duplicates import DuplicateGroup, DuplicateGroupQuerySet, DuplicateMember, Stack
from .edits import AssetEdit
from .explore import HiddenMemory, TimelineMonthDelta
from .generation import AssetGeneration
from .quality import AssetQuality

__all__ = [
    "Asset",
    "AssetEdit",
    "AssetGeneration",
    "AssetMetadata",
    "AssetQuality",
    "AssetQuerySet",
    "AssetUserState",
    "AssetUserStateQuerySet",
    "DuplicateGroup",
    "DuplicateGroupQuerySet",
    "DuplicateMember",
    "HiddenMemory",
    "TimelineMonthDelta",
    "Stack",
]
