"""'Similar' for one asset: visual (pHash Hamming distance, with CLIP cosine where embeddings exist),
colour (histogram intersection), person (shared recognised people).

Every query starts from Asset.objects.visible_to(user).alive(): nothing the caller cannot see is
ever ranked.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, ExpressionWrapper, F, FloatField, Func, IntegerField, Q, Value, When
from django.utils.translation import gettext as _
from pgvector.django import CosineDistance, L1Distance

from apps.assets.metadata.colour import intersection_from_l1, l1_for_intersection
from apps.assets.models import Asset
from apps.assets.user_state import with_user_state
from apps.core.errors import BadInput
from apps.people.models import Face
from apps.search.clip.model import image_model_name
from apps.search.models import AssetEmbedding
from apps.search.semantic import tuned

KINDS = ("visual", "colour", "person")
DEFAULT_VISUAL_THRESHOLD = 12  # bits of 64: looser than duplicates (6), "looks alike" rather than "same photo"
DEFAULT_COLOUR_THRESHOLD = 0.6  # histogram intersection, 0..1
# CLIP image-to-image cosine from which two photos "look alike" (same scene, other shot or crop);
# unrelated photos sit around 0.4-0.6 with ViT-B/32, re-encoded copies above 0.95.
CLIP_VISUAL_MIN = 0.8
MAX_LIMIT = 100


class SimilarityUnavailable(BadInput):
    """This kind of similarity cannot be answered for this asset; the message says why."""


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


def _clip_vector(asset: Asset):
    """The asset's CLIP vector by the current model, or None when it has no embedding."""
    return AssetEmbedding.objects.filter(asset=asset, model=image_model_name()).values_list("vector", flat=True).first()


def visual(user, asset: Asset, threshold: int, limit: int) -> list[SimilarAsset]:
    """pHash within `threshold` bits, or (with CLIP embeddings) among the nearest by CLIP cosine above
    CLIP_VISUAL_MIN; score = the mean of 1 - bits/64 and the cosine where both exist, else the one there is."""
    vector = _clip_vector(asset)
    if asset.phash is None and vector is None:
        return []
    candidates = _candidates(user, asset)
    near, terms = [], []
    if asset.phash is not None:
        # A sequential scan of one bigint per visible asset: milliseconds at 100k assets.
        candidates = candidates.annotate(distance=HammingDistance64(F("phash").bitxor(Value(asset.phash))))
        near.append(Q(distance__lte=threshold))
        terms.append(Value(1.0) - F("distance") / Value(64.0))
    else:
        candidates = candidates.annotate(distance=Value(None, output_field=IntegerField()))
    if vector is not None:
        candidates, clip_near = _with_clip(candidates, vector)
        near.append(clip_near)
        terms.append(F("similarity"))
    score = terms[0] if len(terms) == 1 else Case(
        When(distance__isnull=True, then=terms[1]), When(similarity__isnull=True, then=terms[0]),
        default=(terms[0] + terms[1]) / Value(2.0),
    )
    query = Q()
    for condition in near:
        query |= condition
    ranked = (candidates.filter(query).annotate(score=ExpressionWrapper(score, output_field=FloatField()))
              .order_by("-score", "pk")[:limit])
    if vector is None:
        rows = list(ranked)
    else:
        with tuned():  # ef_search and iterative scans for the kNN part
            rows = list(ranked)
    return [SimilarAsset(a, round(a.score, 4), a.distance) for a in rows]


def _with_clip(candidates, vector):
    """Candidates annotated with `similarity` (CLIP cosine, None without a current embedding), and the
    condition "among the nearest by CLIP and alike enough", answered through the HNSW index."""
    name = image_model_name()
    nearest = (
        AssetEmbedding.objects.filter(model=name, asset__in=candidates.values("pk"))
        .order_by(CosineDistance("vector", vector)).values("asset_id")[:MAX_LIMIT]
    )
    similarity = Case(
        When(embedding__model=name, then=Value(1.0) - CosineDistance("embedding__vector", vector)),
        default=None, output_field=FloatField(),
    )
    annotated = candidates.annotate(similarity=similarity)
    return annotated, Q(pk__in=nearest, similarity__gte=CLIP_VISUAL_MIN)


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


def compared_by(asset: Asset, kind: str) -> str:
    """What a kind compares for this asset, in words for the panel."""
    if kind == "visual":
        return "pHash and CLIP" if _clip_vector(asset) is not None else "pHash"
    return {"colour": "colour histograms", "person": "recognised people"}.get(kind, "")


def similar(user, asset: Asset, kind: str, threshold=None, limit: int = 24) -> list[SimilarAsset]:
    """Assets like `asset`, best first; BadInput for a bad kind or threshold, or a kind this asset
    cannot be compared by (SimilarityUnavailable); ValueError for a limit or threshold that is no number."""
    if kind not in KINDS:
        raise BadInput(_("kind must be one of %(names)s") % {"names": ', '.join(KINDS)}, field="kind")
    limit = max(1, min(int(limit), MAX_LIMIT))
    if kind == "visual":
        bits = DEFAULT_VISUAL_THRESHOLD if threshold is None else int(threshold)
        if not 0 <= bits <= 64:
            raise BadInput(_("threshold for visual is a number of pHash bits, 0-64"), field="threshold")
        return visual(user, asset, bits, limit)
    if kind == "colour":
        share = DEFAULT_COLOUR_THRESHOLD if threshold is None else float(threshold)
        if not 0 <= share <= 1:
            raise BadInput(_("threshold for colour is a histogram intersection, 0-1"), field="threshold")
        return colour(user, asset, share, limit)
    return person(user, asset, 1 if threshold is None else int(threshold), limit)
