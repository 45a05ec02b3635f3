"""Face detection and clustering settings: the MEDIAHUB_FACE_* environment defaults, overridden by
what an admin saved (one FaceSettings row). A field saved as null falls back to the default again.

Read on every use rather than cached: one primary-key lookup is nothing next to a face detection,
and a cache would keep serving a setting another process changed.
"""

from dataclasses import asdict, dataclass

from django.conf import settings

from apps.core.errors import BadInput

from ..clustering import ClusterParams
from ..models import FaceSettings

# Field -> the Django setting holding its default.
DEFAULTS_FROM = {
    "min_score": "MEDIAHUB_FACE_MIN_SCORE",
    "min_size": "MEDIAHUB_FACE_MIN_SIZE",
    "excluded_extensions": "MEDIAHUB_FACE_EXCLUDED_EXTENSIONS",
    "max_distance": "MEDIAHUB_FACE_MAX_DISTANCE",
    "min_neighbours": "MEDIAHUB_FACE_MIN_NEIGHBOURS",
    "min_cluster_size": "MEDIAHUB_FACE_MIN_CLUSTER_SIZE",
    "algorithm": "MEDIAHUB_FACE_CLUSTER_ALGORITHM",
    "merge_distance": "MEDIAHUB_PERSON_MERGE_DISTANCE",
}
# The fields ClusterParams.from_settings takes as overrides (min_score: low-confidence faces stay
# out of clusters as they stay out of detection).
CLUSTER_FIELDS = ("max_distance", "min_neighbours", "min_cluster_size", "algorithm", "min_score")
SINGLETON_PK = 1


@dataclass(frozen=True)
class EffectiveSettings:
    min_score: float
    min_size: int
    excluded_extensions: list
    max_distance: float
    min_neighbours: int
    min_cluster_size: int
    algorithm: str
    merge_distance: float

    def as_dict(self) -> dict:
        return asdict(self)


def defaults() -> dict:
    return {field: getattr(settings, name) for field, name in DEFAULTS_FROM.items()}


def overrides() -> dict:
    """Only what an admin saved (fields left null or blank are not overrides)."""
    row = FaceSettings.objects.filter(pk=SINGLETON_PK).first()
    if row is None:
        return {}
    return {field: getattr(row, field) for field in DEFAULTS_FROM if getattr(row, field) not in (None, "")}


def current() -> EffectiveSettings:
    return EffectiveSettings(**{**defaults(), **overrides()})


def cluster_params(**request_overrides):
    """ClusterParams from the defaults, the saved overrides, then this request's; ValueError says
    what is wrong with a value."""
    saved = {field: value for field, value in current().as_dict().items() if field in CLUSTER_FIELDS}
    return ClusterParams.from_settings(**{**saved, **request_overrides})


def update(changes: dict, user=None) -> EffectiveSettings:
    """Save `changes` (already type- and range-checked by the API); None resets a field. Clustering
    fields are checked together by ClusterParams, whose ValueError becomes BadInput naming the field."""
    changed_cluster = {f: v for f, v in changes.items() if f in CLUSTER_FIELDS}
    if changed_cluster:
        merged = {
            **current().as_dict(),
            **{f: (defaults()[f] if v is None else v) for f, v in changes.items()},
        }
        try:
            cluster_params(**{f: merged[f] for f in CLUSTER_FIELDS})
        except ValueError as exc:
            raise BadInput(errors={field_named_in(str(exc), changed_cluster): str(exc)}) from None
    row, _ = FaceSettings.objects.get_or_create(pk=SINGLETON_PK)
    for field, value in changes.items():
        setattr(row, field, "" if value is None and field == "algorithm" else value)
    row.updated_by = user if getattr(user, "is_authenticated", False) else None
    row.save()
    return current()


def field_named_in(message: str, candidates) -> str:
    """The candidate a ClusterParams message names (its messages start with the field's name)."""
    return next((field for field in candidates if field in message), next(iter(candidates)))
