"""Search over the assets a user can see: words (full text), file name, place, radius and every asset filter.

Views, the API and commands call these functions; indexing lives in `indexing.py`.
"""

from django.contrib.postgres.fields import ArrayField
from django.db.models import FloatField, Func, TextField, Value

from apps.assets.filters import AssetFilter
from apps.assets.models import Asset
from apps.core.errors import BadInput

from . import indexing  # noqa: F401
from .forms import SearchParams
from .indexing import index_assets, rebuild, remaining  # noqa: F401 - the app's one entry point
from apps.assets.location import within
from .matches import ranked_matches
from .models import AssetFilenameGrams
from .options import DIMENSIONS, filter_options  # noqa: F401
from .text import prefix_tsquery


class InvalidSearch(BadInput):
    """Bad parameters; `errors` maps each parameter to its messages, as a 400 answer shows them."""

    def __init__(self, errors: dict):
        super().__init__("invalid search parameters", errors=errors)


def _errors(form) -> dict:
    return {("params" if field == "__all__" else field): list(messages) for field, messages in form.errors.items()}


def search(user, data) -> "QuerySet[Asset]":  # noqa: F821
    """Visible, not trashed assets matching `data` (a QueryDict), annotated with `score` (ts_rank_cd; 0 without q).

    The caller orders and pages by (score, id): with words, that order is the ranked matches' own,
    so a page reads about a page of asset rows (see matches.py). Raises InvalidSearch.
    """
    params = SearchParams(data)
    if not params.is_valid():
        raise InvalidSearch(_errors(params))
    filters = AssetFilter(data, queryset=Asset.objects.visible_to(user).alive(), user=user)
    if not filters.is_valid():
        raise InvalidSearch(_errors(filters.form))
    return _apply(filters.qs, params.cleaned_data)


def with_filename_containing(assets, text: str):
    """`assets` whose file name contains `text`, ignoring case: exactly icontains' answer. Candidates
    come from the GIN index of file name pieces (models.AssetFilenameGrams: without pg_trgm no index
    serves ILIKE '%...%', and the plain filter scanned every visible row: 1.1 s at 1M assets); the
    ILIKE then decides on those few rows."""
    pieces = Func(Value(text), function="search_filename_query_grams", output_field=ArrayField(TextField()))
    candidates = AssetFilenameGrams.objects.filter(grams__contains=pieces).values("asset_id")
    return assets.filter(pk__in=candidates, filename__icontains=text)


def _apply(assets, p: dict):
    if p["q"].strip():
        raw = prefix_tsquery(p["q"])
        if not raw:
            raise InvalidSearch({"q": ["needs at least one letter or digit"]})
        assets = ranked_matches(assets, raw)
    else:
        assets = assets.annotate(score=Value(0.0, output_field=FloatField()))
    if p["filename"]:
        assets = with_filename_containing(assets, p["filename"])
    if p["lat"] is not None:
        assets = within(assets, p["lat"], p["lon"], p["radius_km"])
    if p["place"]:
        assets = assets.filter(search__city__iexact=p["place"])
    if p["country"]:
        assets = assets.filter(search__country_code__iexact=p["country"])
    if p["year"] is not None:
        assets = assets.filter(taken_at__year=p["year"])
    if p["file_type"]:
        assets = assets.filter(mime=p["file_type"])
    return assets
