"""The knobs of face clustering, read from settings and overridable per request."""

import math
from dataclasses import asdict, dataclass, field, fields

from django.conf import settings

ALGORITHMS = ("hdbscan", "dbscan")


def _setting(name):
    return field(default_factory=lambda: getattr(settings, name))


@dataclass(frozen=True)
class ClusterParams:
    # Cosine distance (1 - cosine similarity of unit embeddings) under which two faces may be one person.
    max_distance: float = _setting("MEDIAHUB_FACE_MAX_DISTANCE")
    # A new face joins a person only when this many of its neighbours within max_distance belong to
    # that person; in a re-cluster, a face with this many others within max_distance is dense (a
    # DBSCAN/HDBSCAN core face; at most min_cluster_size - 1, so that many close faces make a person).
    min_neighbours: int = _setting("MEDIAHUB_FACE_MIN_NEIGHBOURS")
    min_cluster_size: int = _setting("MEDIAHUB_FACE_MIN_CLUSTER_SIZE")  # fewest faces that make a new person
    # Two faces closer than this (and with no other face that close) make a person of two, below
    # min_cluster_size: see pairs.py. Never above max_distance; 0 turns pairs off.
    pair_max_distance: float = _setting("MEDIAHUB_FACE_PAIR_MAX_DISTANCE")
    algorithm: str = _setting("MEDIAHUB_FACE_CLUSTER_ALGORITHM")
    min_score: float = _setting("MEDIAHUB_FACE_MIN_SCORE")  # faces the detector was less sure of stay out

    def __post_init__(self):
        # Validated (and normalised) here so a ClusterParams built any way is usable.
        set_ = object.__setattr__
        set_(self, "max_distance", _number("max_distance", self.max_distance, 0.0, 2.0, "a cosine distance"))
        set_(self, "pair_max_distance", _number(
            "pair_max_distance", self.pair_max_distance, 0.0, 2.0, "a cosine distance", low_open=False))
        set_(self, "min_score", _number("min_score", self.min_score, 0.0, 1.0, "a detector score", low_open=False))
        set_(self, "min_neighbours", _integer("min_neighbours", self.min_neighbours, 1))
        set_(self, "min_cluster_size", _integer("min_cluster_size", self.min_cluster_size, 2))
        algorithm = str(self.algorithm).strip().lower()
        if algorithm not in ALGORITHMS:
            raise ValueError(f"algorithm must be one of {', '.join(ALGORITHMS)}, got {self.algorithm!r}")
        set_(self, "algorithm", algorithm)

    @classmethod
    def from_settings(cls, **overrides) -> "ClusterParams":
        """The settings' values with `overrides` on top (None means: keep the setting). Raises
        ValueError naming the field for an unknown name or a value out of range."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(f"{unknown[0]} is not a clustering parameter (known: {', '.join(sorted(known))})")
        return cls(**{name: value for name, value in overrides.items() if value is not None})

    @property
    def pair_distance(self) -> float:
        """The pair threshold in effect: a looser max_distance given per request never makes pairs
        looser than the normal rule."""
        return min(self.pair_max_distance, self.max_distance)

    def as_dict(self) -> dict:
        return asdict(self)


def _number(name, value, low, high, what, low_open=True) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number):
        raise ValueError(f"{name} must be a number ({what}), got {value!r}")
    if number > high or number < low or (low_open and number == low):
        bracket = "(" if low_open else "["
        raise ValueError(f"{name} must be in {bracket}{low:g}, {high:g}] ({what}), got {value!r}")
    return number


def _integer(name, value, low) -> int:
    try:
        number = int(value)
        if number != float(value) or isinstance(value, bool):
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a whole number, got {value!r}") from None
    if number < low:
        raise ValueError(f"{name} must be at least {low}, got {value!r}")
    return number
