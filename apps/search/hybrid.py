"""Which search runs (text, semantic or hybrid), and hybrid ranking.

hybrid score = semantic weight * cosine similarity + text weight * (text rank / best text rank)

The text rank is normalised by the best one of the query, so the best word match brings the whole
text weight; CLIP text-to-image similarities spread over ~0.15 (0.15-0.35 for real models), so with
the default 0.7/0.3 an exact file name or person's name match outranks a photo that only looks
like the words. Candidates: the MEDIAHUB_SEARCH_HYBRID_NEAREST nearest by meaning plus the
MEDIAHUB_SEARCH_HYBRID_WORDS best by words (ties of rank by id, descending; for words matching more
than MEDIAHUB_SEARCH_WORD_RANK_CAP assets, the best of that many, see word_matches): the top of each
side, fused, as hybrid search engines do (their "rank window").
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, ExpressionWrapper, F, FloatField, Value, When
from django.db.models.expressions import RawSQL

from apps.assets.models import Asset

from . import semantic, services
from .forms import SearchParams
from .matches import matching
from .models import AssetSearch
from .text import prefix_tsquery

TEXT, SEMANTIC, HYBRID = "text", "semantic", "hybrid"
SEARCH_TYPES = (TEXT, SEMANTIC, HYBRID)


@dataclass
class Outcome:
    assets: object  # QuerySet[Asset] annotated with score
    search_type: str  # what ran
    notice: str = ""  # why it is not what was asked for
    tuned: bool = False  # evaluate inside semantic.tuned()


def default_type() -> str:
    """Hybrid when this process can embed queries and embeddings exist; else text."""
    if semantic.unavailable_reason() is None and semantic.has_embeddings():
        return HYBRID
    return TEXT


def _params(data) -> dict:
    params = SearchParams(data)
    if not params.is_valid():
        raise services.InvalidSearch({("params" if f == "__all__" else f): list(m) for f, m in params.errors.items()})
    return params.cleaned_data


def run(user, data) -> Outcome:
    """The search `data` asks for. Raises services.InvalidSearch (BadInput) and semantic.SemanticUnavailable
    (Unavailable, for an explicit semantic search only: hybrid falls back to text and says so)."""
    p = _params(data)
    asked = p["search_type"] or default_type()
    words = p["q"].strip()
    if asked == SEMANTIC and not words:
        raise services.InvalidSearch({"q": ["semantic search needs words to look for"]})
    if asked == TEXT or not words:  # no words: filters only, nothing to rank by meaning
        return Outcome(services.search(user, data), TEXT)
    if asked == SEMANTIC:
        reason = semantic.unavailable_reason()
        if reason:
            raise semantic.SemanticUnavailable(reason)
        return Outcome(semantic.search(user, data), SEMANTIC, tuned=True)
    reason = semantic.unavailable_reason()
    if reason:
        return Outcome(services.search(user, data), TEXT, f"semantic search unavailable, words only: {reason}")
    weights = (_weight(p, "semantic_weight", settings.MEDIAHUB_SEARCH_SEMANTIC_WEIGHT),
               _weight(p, "text_weight", settings.MEDIAHUB_SEARCH_TEXT_WEIGHT))
    return Outcome(search(user, data, *weights), HYBRID, tuned=True)


def _weight(p: dict, name: str, default: float) -> float:
    return default if p.get(name) is None else p[name]


def search(user, data, semantic_weight: float, text_weight: float):
    """Visible, filtered assets near the words by meaning or matching them, annotated with the hybrid `score`.

    Shape (bench_hybrid.py, 1M assets): the best word matches are read first, once (ids and the top
    rank, see word_matches); the candidates are one UNION of those ids and the HYBRID_NEAREST nearest
    by meaning, joined to the assets by primary key; each candidate's words rank is computed on its
    own document. The earlier shape OR-ed two IN subqueries (a scan of every visible asset) and
    re-ranked all matches per candidate in a correlated subquery: 30 s and more at 1M assets.
    """
    vector = semantic.query_vector(data["q"].strip())
    assets = services.search(user, semantic.without_words(data))
    candidates = semantic.nearest(assets, vector, nearest_count())
    text_part = Value(0.0)
    raw = prefix_tsquery(data["q"])
    if raw:  # words the full-text side can look for (not only emoji or punctuation)
        words = SearchQuery(raw, search_type="raw", config="simple")
        matches = word_matches(assets, raw, settings.MEDIAHUB_SEARCH_HYBRID_WORDS)
        if matches:
            candidates = _ids(pk for pk, _ in matches).union(candidates)
            rank = Case(When(search__document=words, then=SearchRank(F("search__document"), words, cover_density=True)),
                        default=Value(0.0), output_field=FloatField())
            text_part = rank / Value(matches[0][1]) if matches[0][1] > 0 else Value(0.0)
    score = Value(semantic_weight) * semantic.similarity(vector) + Value(text_weight) * text_part
    return assets.filter(pk__in=candidates).annotate(score=ExpressionWrapper(score, output_field=FloatField()))


def _ids(ids):
    """Assets by id, as one array parameter: as many parameters as ids cost the request ~25 ms of Python
    per 1,000 (each resolved, copied and quoted) before the database saw them."""
    in_array = RawSQL("SELECT unnest(%s::uuid[])", [list(ids)])
    return Asset.objects.filter(pk__in=in_array).order_by().values("pk")


def nearest_count() -> int:
    """How many nearest by meaning a hybrid search takes: the fused pages need far fewer than the
    semantic search's MAX_RESULTS, and each one more is HNSW traversal (bench_hybrid)."""
    return settings.MEDIAHUB_SEARCH_HYBRID_NEAREST


def word_matches(assets, raw: str, best: int) -> list[tuple]:
    """(asset id, ts_rank_cd) of the `best` best matches of the tsquery `raw` among `assets`, best first
    (ties by id, descending). Each candidate costs the page's query its row, vector and rank (at 1M
    assets, a word in 5%: 1,000 word matches beside 200 nearest took 47 ms of SQL a request, 400
    took 27), hence a few hundred.

    A deliberate approximation for very common words: only the first MEDIAHUB_SEARCH_WORD_RANK_CAP
    matches in the search table's block order (in no order of relevance, see matches.in_block_order)
    are ranked, because ranking them all is
    the cost (a word in 25% of 1M documents: 250,000 ts_rank_cd calls, ~1.5 s). A word matching fewer
    assets than the cap (every name, place or file number a person looks for) is ranked exactly:
    all its matches are read. The meaning side of the candidates is not capped.
    """
    words = SearchQuery(raw, search_type="raw", config="simple")
    capped = matching(assets, raw).order_by().values("pk")[: settings.MEDIAHUB_SEARCH_WORD_RANK_CAP]
    ranked = (AssetSearch.objects.filter(asset_id__in=capped)
              .annotate(rank=SearchRank(F("document"), words, cover_density=True))
              .order_by("-rank", "-asset_id").values_list("asset_id", "rank"))
    return list(ranked[:best])
