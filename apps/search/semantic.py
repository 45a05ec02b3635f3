"""Semantic search: the query's CLIP text vector against the assets' image vectors (pgvector HNSW).

Filters and visibility come from services.search (called without the words), so a semantic query
never ranks an asset the caller cannot see. Every asset "matches" a vector query, so the answer is
the MAX_RESULTS nearest, pageable by (score, id) like the text search; score is the cosine similarity.
"""

from contextlib import contextmanager
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Value
from pgvector.django import CosineDistance

from apps.core.errors import Unavailable

from . import services
from .clip import model
from .matches import with_given_scores
from .models import AssetEmbedding

MAX_RESULTS = 1000  # nearest neighbours a query pages through; kNN beyond that is noise to a person


class SemanticUnavailable(Unavailable):
    """No CLIP text model here (503); `reason` says why."""

    def __init__(self, reason: str):
        super().__init__(f"semantic search unavailable: {reason}")
        self.reason = reason


def unavailable_reason() -> str | None:
    """Why a query cannot be embedded in this process (the web process never downloads)."""
    return model.unavailable_reason(text=True)


def has_embeddings() -> bool:
    return AssetEmbedding.objects.filter(model=model.image_model_name()).exists()


def query_vector(q: str):
    try:
        return model.embed_text(q)
    except model.ClipUnavailable as exc:
        raise SemanticUnavailable(str(exc)) from None


def without_words(data):
    """The same parameters minus q: services.search then applies only filters and visibility."""
    rest = data.copy()
    rest.pop("q", None)
    return rest


class Scope(NamedTuple):
    assets: object  # QuerySet[Asset]: visible and filtered, what a page may show
    unconfined: object  # the same but for the `library` filter, which the candidates' rows apply
    library: int | None  # confined_library


def confined_library(data) -> int | None:
    """The library the `library` filter confines a search to, for the search tables' own copy of it
    (AssetSearch.library_id, AssetEmbedding.library_id): None without one. A value the filter reads
    but int() does not ("4.0") is confined by the filter alone: the same rows, found more slowly."""
    try:
        return int(data.get("library") or "")
    except ValueError:
        return None


def scope(user, data) -> Scope:
    """services.search of `data` without its words, for a search by meaning or a hybrid one.

    With one `library`, the candidates (nearest, word matches) are confined by their own rows' copy
    of it (AssetEmbedding.library_id, AssetSearch.library_id) instead of their asset's. Both at once
    made PostgreSQL count the same 10% twice, expect one neighbour in a hundred to pass, and sort the
    whole library by distance instead of walking the HNSW graph (1M assets: 27 -> 321 ms). A page
    checks the asset's own library as before."""
    rest = without_words(data)
    library = confined_library(rest)
    if library is None:
        assets = services.search(user, rest)
        return Scope(assets, assets, None)
    rest.pop("library")
    unconfined = services.search(user, rest)
    return Scope(unconfined.filter(library_id=library), unconfined, library)


def nearest(assets, vector, limit: int = MAX_RESULTS, library: int | None = None):
    """(asset id, cosine similarity) rows of the `limit` assets of `assets` nearest to `vector`,
    nearest first: ORDER BY vector <=> q LIMIT n, the shape the HNSW index answers (with the filter
    applied during the scan, see tuned(), inside which it is read). `library` (see scope()) is checked
    on the embedding row itself: the neighbours of other libraries are passed over without a probe of
    their asset."""
    distance = CosineDistance("vector", vector)
    rows = AssetEmbedding.objects.filter(model=model.image_model_name(), asset__in=assets.values("pk"))
    if library is not None:
        rows = rows.filter(library_id=library)
    rows = rows.annotate(similarity=Value(1.0) - distance).order_by(distance)
    return rows.values_list("asset_id", "similarity")[:limit]


def search(user, data, vector=None):
    """Visible, filtered assets among the MAX_RESULTS nearest to the words `q`, annotated with `score`
    (cosine similarity). The nearest are read once with their similarity, and a page walks them best
    first (matches.with_given_scores): about a page of asset rows, where each page's query used to
    join all 1,000 to their vectors to score them.

    Raises services.InvalidSearch for bad parameters and SemanticUnavailable without a model.
    """
    q = (data.get("q") or "").strip()
    if not q:
        raise services.InvalidSearch({"q": ["semantic search needs words to look for"]})
    filtered = scope(user, data)
    vector = query_vector(q) if vector is None else vector
    with tuned():
        scores = dict(nearest(filtered.unconfined, vector, library=filtered.library))
    return with_given_scores(filtered.assets, scores)


@lru_cache(maxsize=1)
def _iterative_scans() -> bool:
    """pgvector 0.8+ can keep scanning the graph until enough rows pass the filters."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        row = cursor.fetchone()
    version = tuple(int(p) for p in row[0].split(".")[:2]) if row else (0, 0)
    return version >= (0, 8)


@contextmanager
def tuned():
    """A transaction whose HNSW scans look at ef_search candidates and, with filters, keep going
    (relaxed order: the outer query sorts the few survivors by score anyway). SET LOCAL semantics,
    so the pooled connection is left as it was."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('hnsw.ef_search', %s, true)", [str(settings.MEDIAHUB_SEARCH_EF_SEARCH)])
        if _iterative_scans():
            cursor.execute("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)")
        yield
