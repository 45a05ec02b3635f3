"""'Similar' for one asset: visual (pHash Hamming distance), colour (histogram intersection), person.

Every query starts from Asset.objects.visible_to(user).alive(): nothing the caller cannot see is
ever ranked.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Func, IntegerField, Q, Value
from pgvector.django import L1Distance

from apps.accounts.asset_state import with_user_state
from apps.assets.models import Asset

from .colour import intersection_from_l1, l1_for_intersection

KINDS = ("visual", "colour", "person")
DEFAULT_VISUAL_THRESHOLD = 12  # bits of 64: looser than duplicates (6), "looks alike" rather than "same photo"
DEFAULT_COLOUR_THRESHOLD = 0.6  # histogram intersection, 0..1
MAX_LIMIT = 100


class SimilarityUnavailable(Exception):
    """This kind of similarity cannot be answered here (yet); the message says why."""


@dataclass
class SimilarAsset:
    asset: Asset
    score: float  # 0..1, higher is more alike
    distance: float | None = None  # pHash bits for visual, L1 for colour


class HammingDistance64(Func):
    """Bits differing between two signed 64-bit pHashes: bit_count() of the XOR (PostgreSQL 14+)."""

    template = "bit_count((%(expressions)s)::bit(64))"
    output_field = IntegerField()


def _candidates(user, asset: Asset):
    # The caller's favourite/rating ride along in the same query, as in every asset list.
    return with_user_state(Asset.objects.visible_to(user).alive().exclude(pk=asset.pk), user)


def visual(user, asset: Asset, threshold: int, limit: int) -> list[SimilarAsset]:
    if asset.phash is None:
        return []
    # A sequential scan of one bigint per visible asset: milliseconds at 100k assets. The CLIP
    # cosine term joins here when embeddings exist (score = mix of both, same ranking contract).
    ranked = (
        _candidates(user, asset)
        .filter(phash__isnull=False)
        .annotate(distance=HammingDistance64(F("phash").bitxor(Value(asset.phash))))
        .filter(distance__lte=threshold)
        .order_by("distance", "pk")[:limit]
    )
    return [SimilarAsset(a, round(1 - a.distance / 64, 4), a.distance) for a in ranked]


def colour(user, asset: Asset, threshold: float, limit: int) -> list[SimilarAsset]:
    if asset.colour_histogram is None:
        return []
    ranked = (
        _candidates(user, asset)
        .filter(colour_histogram__isnull=False)
        .annotate(distance=L1Distance("colour_histogram", asset.colour_histogram))
        .filter(distance__lte=l1_for_intersection(threshold))
        .order_by("distance", "pk")[:limit]
    )
    return [SimilarAsset(a, round(intersection_from_l1(a.distance), 4), round(a.distance, 4)) for a in ranked]


def person(user, asset: Asset, threshold: int, limit: int) -> list[SimilarAsset]:
    """Photos sharing at least `threshold` named people with `asset`, most shared first."""
    try:
        from apps.people.models import Face
    except ImportError:
        raise SimilarityUnavailable("person similarity needs faces: the faces app has no Face model yet") from None
    people = set(Face.objects.filter(asset=asset, person__isnull=False).values_list("person", flat=True))
    if not people:
        raise SimilarityUnavailable("person similarity needs faces: no recognised people in this photo")
    ranked = (
        _candidates(user, asset)
        .annotate(shared=Count("faces__person", filter=Q(faces__person__in=people), distinct=True))
        .filter(shared__gte=max(1, threshold))
        .order_by("-shared", "-taken_at", "pk")[:limit]
    )
    return [SimilarAsset(a, round(a.shared / len(people), 4), None) for a in ranked]


def similar(user, asset: Asset, kind: str, threshold=None, limit: int = 24) -> list[SimilarAsset]:
    """Assets like `asset`, best first; raises ValueError for a bad kind/threshold, SimilarityUnavailable."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    limit = max(1, min(int(limit), MAX_LIMIT))
    if kind == "visual":
        bits = DEFAULT_VISUAL_THRESHOLD if threshold is None else int(threshold)
        if not 0 <= bits <= 64:
            raise ValueError("threshold for visual is a number of pHash bits, 0-64")
        return visual(user, asset, bits, limit)
    if kind == "colour":
        share = DEFAULT_COLOUR_THRESHOLD if threshold is None else float(threshold)
        if not 0 <= share <= 1:
            raise ValueError("threshold for colour is a histogram intersection, 0-1")
        return colour(user, asset, share, limit)
    return person(user, asset, 1 if threshold is None else int(threshold), limit)
