"""Full-text matches ranked on the AssetSearch table first, then joined to the assets.

Why: joined the plain way (assets JOIN assetsearch, rank in the SELECT), PostgreSQL fetches every
matching asset row (visibility, filters, the caller's state) and only then sorts by rank. A word in
1 % of a million assets is 10,000 random asset-row reads for a page of 100; the planner also
underestimates how many rows an AND of prefixes matches, so it does not see the cost coming.

Here the matches are a derived table that reads the GIN index and the narrow documents only,
ranks them and sorts them by (score, asset id):

    INNER JOIN (SELECT asset_id, ts_rank_cd(document, q) AS score FROM search_assetsearch
                WHERE document @@ q ORDER BY score DESC, asset_id DESC) search_hits
            ON search_hits.asset_id = assets_asset.id

`ORDER BY score DESC, id DESC` of the outer query is then already satisfied by that order (the
join makes assets.id and search_hits.asset_id one equivalence class), so the plan walks the ranked
matches, probes each asset by primary key for visibility and filters, and stops after a page:
about one page of asset reads instead of every match. Django's ORM has no join to a subquery, so
`ranked_matches` adds a Join-compatible entry to the query's alias map (the same duck type as
django.db.models.sql.datastructures.Join) and the score is a Col on its alias, so the queryset
stays an ordinary Asset queryset: filter, annotate, order, page, count, use it as a subquery.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db.models import BooleanField, Case, F, FloatField, Value, When
from django.db.models.expressions import Col, RawSQL
from django.db.models.sql.constants import INNER

from .models import AssetSearch

ALIAS = "search_hits"


class _Column:
    """The bits of a field a Col needs to name a derived table's column."""

    def __init__(self, column: str):
        self.column = column

    def get_db_converters(self, connection):
        return []


_SCORE = _Column("score")
_DOCUMENT = _Column("document")


class RankedMatchesJoin:
    """INNER JOIN (ranked matches) <alias> ON <alias>.asset_id = <parent>.id"""

    filtered_relation = None
    join_field = None
    nullable = False

    def __init__(self, matches, parent_alias: str, table_alias: str | None = ALIAS, join_type=INNER):
        self.matches = matches  # a Query over AssetSearch yielding (asset_id, score), ordered
        self.table_name = ALIAS
        self.parent_alias = parent_alias
        self.table_alias = table_alias
        self.join_type = join_type

    def rows_sql(self, connection):
        return self.matches.get_compiler(connection=connection).as_sql()

    def as_sql(self, compiler, connection):
        inner_sql, inner_params = self.rows_sql(connection)
        qn = compiler.quote_name_unless_alias
        column = connection.ops.quote_name
        # OFFSET 0 keeps the outer query's conditions on the score (the pager's `score IS NOT NULL`,
        # its cursor) out of the derived table: pushed in, each would run ts_rank_cd once more per match.
        sql = (f"{self.join_type} ({inner_sql} OFFSET 0) {qn(self.table_alias)} "
               f"ON ({qn(self.table_alias)}.{column('asset_id')} = {qn(self.parent_alias)}.{column('id')})")
        return sql, tuple(inner_params)

    def relabeled_clone(self, change_map):
        return self.__class__(self.matches, change_map.get(self.parent_alias, self.parent_alias),
                              change_map.get(self.table_alias, self.table_alias), self.join_type)

    @property
    def identity(self):
        return (self.__class__, self.table_name, self.parent_alias, str(self.matches))

    def equals(self, other):
        return self.identity == other.identity

    def __eq__(self, other):
        return isinstance(other, RankedMatchesJoin) and self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)


class GivenScoresJoin(RankedMatchesJoin):
    """INNER JOIN (given (asset_id, score) rows, best first) <alias> ON <alias>.asset_id = <parent>.id,
    the rows being two arrays `matches` = (ids, scores): one parameter each, however many."""

    def rows_sql(self, connection):
        return ("SELECT given.asset_id, given.score FROM unnest(%s::uuid[], %s::float8[]) AS given(asset_id, score) "
                "ORDER BY given.score DESC, given.asset_id DESC", self.matches)

    @property
    def identity(self):  # the arrays' identity: printing hundreds of ids to compare joins costs more
        return (self.__class__, self.table_name, self.parent_alias, id(self.matches))


def ranked_matches(assets, tsquery: str):
    """`assets` narrowed to documents matching `tsquery` (raw to_tsquery syntax), annotated with
    `score` (ts_rank_cd, cover density)."""
    query = SearchQuery(tsquery, search_type="raw", config="simple")
    matches = (AssetSearch.objects.filter(document=query)
               .annotate(score=SearchRank(F("document"), query, cover_density=True))
               .order_by("-score", "-asset_id")
               .values("asset_id", "score"))
    assets = assets.all()  # a clone: the join is added to this queryset's own query
    base = assets.query.get_initial_alias()
    alias = assets.query.join(RankedMatchesJoin(matches.query, base))
    return assets.annotate(score=Col(alias, _SCORE, output_field=FloatField()))


def with_given_scores(assets, scores: dict):
    """`assets` narrowed to the keys of `scores` (asset id -> score), annotated with that `score`.
    Ordered by (score, id) the plan walks the given rows best first and probes each asset (visibility,
    filters) until the page is full, as for ranked_matches."""
    ids = list(scores)
    assets = assets.all()
    alias = assets.query.join(GivenScoresJoin((ids, [scores[pk] for pk in ids]), assets.query.get_initial_alias()))
    return assets.annotate(score=Col(alias, _SCORE, output_field=FloatField()))


def any_of(ids):
    """A subquery of the asset ids `ids` as one array parameter: as many parameters as ids cost the
    request ~25 ms of Python per 1,000 (each resolved, copied and quoted) before the database saw them."""
    return RawSQL("SELECT unnest(%s::uuid[])", [list(ids)])


def word_ranks(tsquery: str, ids) -> dict:
    """asset id -> ts_rank_cd (cover density) of `tsquery` in each of `ids`' documents, 0 where it does
    not match. The match is tested in the SELECT, not the WHERE: there, the planner took the GIN index
    for a rare-looking AND of common words and hashed all their matches (canon paris at 1M assets:
    23 ms for 200 ids instead of 2)."""
    query = SearchQuery(tsquery, search_type="raw", config="simple")
    rank = Case(When(document=query, then=SearchRank(F("document"), query, cover_density=True)),
                default=Value(0.0), output_field=FloatField())
    return dict(AssetSearch.objects.filter(asset_id__in=any_of(ids)).annotate(rank=rank).values_list("asset_id", "rank"))


# Blocks of the search table read in order before the GIN index is asked (about 26,000 documents).
FIRST_BLOCKS = 500


def matching(assets, tsquery: str, library: int | None = None):
    """`assets` narrowed to documents matching `tsquery`, unranked, in the search table's block order
    (see in_block_order): for a LIMIT of the first matches. The derived table is planned apart from the
    outer LIMIT (the join keeps the LIMIT from reaching it). Annotated with `matched_document`, the
    match's document read with it: ranking a match then costs no second read of it. `library`: the one
    library `assets` is confined to, checked on the document row, so other libraries' matches are
    never joined to their asset (a word in 5% of 1M documents, one library of ten: 7,000 asset
    probes, 14 ms)."""
    query = SearchQuery(tsquery, search_type="raw", config="simple")
    documents = AssetSearch.objects.filter(document=query).order_by().values("asset_id", "document")
    if library is not None:
        documents = documents.filter(library_id=library)
    assets = assets.all()
    alias = assets.query.join(RankedMatchesJoin(in_block_order(documents).query, assets.query.get_initial_alias()))
    return assets.annotate(matched_document=Col(alias, _DOCUMENT, output_field=SearchVectorField()))


def in_block_order(documents):
    """`documents` (AssetSearch rows) as two parts read one after the other:

        those in the first FIRST_BLOCKS blocks  UNION ALL  those in the blocks after them

    A word in a quarter of the documents is a 250,000-entry bitmap from the GIN index, 30-35 ms at 1M
    assets before the first row comes; its first 1,000 visible matches lie in the first blocks, which
    the first part reads straight (4 ms, and the second part never starts). For a rare word the first
    part is a bitmap scan as well when the statistics know the word is rare, else a read of those
    blocks (~5 ms). Either way the rows and their order are those of one bitmap scan: block order."""
    boundary = f"({FIRST_BLOCKS},0)"
    first = documents.filter(RawSQL("ctid < %s::tid", [boundary], output_field=BooleanField()))
    rest = documents.filter(RawSQL("ctid >= %s::tid", [boundary], output_field=BooleanField()))
    return first.union(rest, all=True)
