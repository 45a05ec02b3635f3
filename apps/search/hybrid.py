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
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db.models import F

from apps.core import side_queries

from . import semantic, services
from .clip import model as clip_model
from .forms import SearchParams
from .matches import matching, with_given_scores, word_ranks
from .models import AssetEmbedding
from .text import prefix_tsquery

TEXT, SEMANTIC, HYBRID = "text", "semantic", "hybrid"
SEARCH_TYPES = (TEXT, SEMANTIC, HYBRID)


@dataclass
class Outcome:
    assets: object  # QuerySet[Asset] annotated with score
    search_type: str  # what ran
    notice: str = ""  # why it is not what was asked for


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
        return Outcome(semantic.search(user, data), SEMANTIC)
    reason = semantic.unavailable_reason()
    if reason:
        return Outcome(services.search(user, data), TEXT, f"semantic search unavailable, words only: {reason}")
    weights = (_weight(p, "semantic_weight", settings.MEDIAHUB_SEARCH_SEMANTIC_WEIGHT),
               _weight(p, "text_weight", settings.MEDIAHUB_SEARCH_TEXT_WEIGHT))
    return Outcome(search(user, data, *weights), HYBRID)


def _weight(p: dict, name: str, default: float) -> float:
    return default if p.get(name) is None else p[name]


class Candidate(NamedTuple):
    pk: object
    similarity: float  # cosine similarity by the current model; 0 without an embedding
    rank: float  # ts_rank_cd of the words; 0 when the document does not match


def search(user, data, semantic_weight: float, text_weight: float):
    """Visible, filtered assets near the words by meaning or matching them, annotated with the hybrid `score`.

    Shape (bench_hybrid.py, 1M assets): each side reads its best candidates once, with both of their
    scores: the best word matches (word_matches) with their similarity, the HYBRID_NEAREST nearest by
    meaning with their words rank. They are fused here, and a page walks the fused candidates best
    first, probing each asset for visibility and filters until it is full (matches.with_given_scores):
    about a page of asset rows. Before, each page's query joined every candidate to its asset, vector
    and document to score it (500 candidates at 1M assets: ~20 ms of SQL). Earlier still, two OR-ed
    IN subqueries scanned every visible asset: 30 s and more.
    """
    vector = semantic.query_vector(data["q"].strip())
    filtered = semantic.scope(user, data)
    raw = prefix_tsquery(data["q"])  # None for only emoji or punctuation: nothing for the words side
    # The two sides at once, the words side on a connection of its own (~30 ms each at 1M assets).
    by_words = None
    if raw:  # compiled here: a queryset is not to be shared between threads
        matches = word_matches(filtered.unconfined, raw, settings.MEDIAHUB_SEARCH_HYBRID_WORDS, vector,
                               filtered.library)
        if matches:
            by_words = side_queries.alongside(_by_words, matches)
    with semantic.tuned():  # the HNSW scan's settings
        nearest = list(semantic.nearest(filtered.unconfined, vector, nearest_count(), filtered.library))
    ranks = word_ranks(raw, [pk for pk, _ in nearest]) if raw else {}
    by_meaning = [Candidate(pk, similarity, ranks.get(pk, 0.0)) for pk, similarity in nearest]
    fused = _fused(by_words.result() if by_words else [], by_meaning, semantic_weight, text_weight)
    return with_given_scores(filtered.assets, fused)


def _by_words(compiled_matches: tuple) -> list[Candidate]:
    """The best word matches (word_matches, compiled), best first."""
    return [Candidate(pk, similarity or 0.0, rank) for pk, rank, similarity in side_queries.rows(*compiled_matches)]


def _fused(by_words: list, by_meaning: list, semantic_weight: float, text_weight: float) -> dict:
    """asset id -> hybrid score of every candidate, the words rank normalised by the best word match's."""
    best = by_words[0].rank if by_words else 0.0
    return {c.pk: semantic_weight * c.similarity + text_weight * (c.rank / best if best > 0 else 0.0)
            for c in by_meaning + by_words}


def nearest_count() -> int:
    """How many nearest by meaning a hybrid search takes: the fused pages need far fewer than the
    semantic search's MAX_RESULTS, and each one more is HNSW traversal (bench_hybrid)."""
    return settings.MEDIAHUB_SEARCH_HYBRID_NEAREST


def word_matches(assets, raw: str, best: int, vector, library: int | None = None) -> tuple | None:
    """(sql, params) of the (asset id, ts_rank_cd, cosine similarity to `vector` or None without an
    embedding) rows of the `best` best matches of the tsquery `raw` among `assets`, best first (ties by
    id, descending), for side_queries.rows(). None when Django finds while compiling that `assets` match
    nothing (a filter's number beyond its column's range): evaluated, it would have answered no rows.

    Each match is ranked from its document as read (matching): ranked after a second read by asset id,
    1,000 of them cost 3-4 ms more at 1M assets. Each best one costs a read of its vector for its
    similarity, in the same query (a second one cost the words side a round trip), and cost the page's
    query its asset row too before the sides were fused in Python (at 1M assets, a word in 5%, 1,000
    word matches beside 200 nearest took 47 ms of SQL, 400 took 27): hence a few hundred.

    `library`: the one library the matches are confined to by their own rows (semantic.scope).

    A deliberate approximation for very common words: only the first MEDIAHUB_SEARCH_WORD_RANK_CAP
    matches in the search table's block order (in no order of relevance, see matches.in_block_order)
    are ranked, because ranking them all is the cost (a word in 25% of 1M documents: 250,000
    ts_rank_cd calls, ~1.5 s). A word matching fewer assets than the cap (every name, place or file
    number a person looks for) is ranked exactly: all its matches are read. The meaning side of the
    candidates is not capped.
    """
    words = SearchQuery(raw, search_type="raw", config="simple")
    capped = (matching(assets, raw, library).order_by()
              .annotate(rank=SearchRank(F("matched_document"), words, cover_density=True))
              .values_list("pk", "rank")[: settings.MEDIAHUB_SEARCH_WORD_RANK_CAP])
    try:
        sql, params = capped.query.sql_with_params()
    except EmptyResultSet:
        return None
    best_first = (f"SELECT asset_id, rank FROM ({sql}) AS capped (asset_id, rank) "
                  "ORDER BY rank DESC, asset_id DESC LIMIT %s")
    vectors = AssetEmbedding._meta
    return (f"SELECT best.asset_id, best.rank, 1 - (e.vector <=> %s::vector) FROM ({best_first}) AS best "
            f"LEFT JOIN {vectors.db_table} e ON e.asset_id = best.asset_id AND e.model = %s "
            "ORDER BY best.rank DESC, best.asset_id DESC",
            (vectors.get_field("vector").get_prep_value(vector), *params, best, clip_model.image_model_name()))
