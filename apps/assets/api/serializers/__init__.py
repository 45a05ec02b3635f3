"""The asset API's serializers, one module per resource (assets, per-user state, duplicates).

Other apps import `AssetSerializer` from here to show assets the same way."""

from .assets import (
    AssetDetailSerializer,
    AssetSerializer,
    BulkDeleteSerializer,
    DeleteResultSerializer,
    ReprocessedSerializer,
    ReprocessSerializer,
    RotateSerializer,
)
from .edits import BatchEditResultSerializer, BatchEditSerializer, EditSerializer
from .duplicates import (
    ChoiceSerializer,
    GroupDetailSerializer,
    GroupSerializer,
    MemberSerializer,
    SimilarItemSerializer,
    SummarySerializer,
)
from .user_state import AssetStateSerializer, BatchResultSerializer, BatchSerializer, MyStateField

__all__ = [
    "BatchEditResultSerializer",
    "BatchEditSerializer",
    "EditSerializer",
    "AssetDetailSerializer",
    "AssetSerializer",
    "AssetStateSerializer",
    "BatchResultSerializer",
    "BatchSerializer",
    "BulkDeleteSerializer",
    "ChoiceSerializer",
    "DeleteResultSerializer",
    "GroupDetailSerializer",
    "GroupSerializer",
    "MemberSerializer",
    "MyStateField",
    "ReprocessSerializer",
    "ReprocessedSerializer",
    "RotateSerializer",
    "SimilarItemSerializer",
    "SummarySerializer",
]
