
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render

from apps.assets.filters import origin_query
from apps.assets.presentation import detail_urls, media_url, thumbnail_box
from apps.assets.user_state import with_user_state
from apps.core import keyset

from . import camera_options, hybrid, quality_options, semantic, services

PAGE_SIZE = 120


def tiles(assets) -> list[dict]:
    """What the Photos grid's tile needs (results may lack a capture date, so no day headings)."""
    rows = []
    url = detail_urls()
    for asset in assets:
        width, height = thumbnail_box(asset)
        rows.append({"asset": asset, "url": url(asset), "thumbnail": media_url(asset, "thumbnail"),
                     "width": width, "height": height})
    return rows


# How to search, not what: alone they do not make a search.
NOT_CRITERIA = {"cursor", "search_type", "semantic_weight", "text_weight", "sort"}
# The orders the results may come in: by the search's own score (relevance, or newest without words),
# or best quality first (photos not scored yet are left out of that order).
SORTS = {"": "score", "quality": "quality"}


def _map_query(query) -> str:
    """The same search as map filters: words, places and every asset filter, without paging or ranking."""
    kept = query.copy()
    for name in NOT_CRITERIA:
        kept.pop(name, None)
    return kept.urlencode()


def _has_criteria(query) -> bool:
    return any(value.strip() for key, values in query.lists() if key not in NOT_CRITERIA for value in values)


@login_required
def search_page(request):
    """The Search page; HTMX asks for the results partial only (first page and infinite scroll)."""
    context = {"query": request.GET, "searched": _has_criteria(request.GET), "rows": [], "next_url": None,
               # The photo's previous/next keep the search's filters (in time order: not its ranking).
               "set_query": origin_query(request.GET)}
    if context["searched"]:
        try:
            outcome = hybrid.run(request.user, request.GET)
            assets = with_user_state(outcome.assets, request.user)  # the tiles' favourite and rating badges
            page = keyset.page(assets.select_related("library"), SORTS.get(request.GET.get("sort", ""), "score"),
                               True, request.GET.get("cursor"), PAGE_SIZE)
        except services.InvalidSearch as exc:
            context["errors"] = exc.errors
        except semantic.SemanticUnavailable as exc:
            context["errors"] = {"semantic search": [f"unavailable: {exc.reason}"]}
        except ValueError as exc:  # a tampered cursor
            return HttpResponseBadRequest(str(exc))
        else:
            context["ran"], context["notice"] = outcome.search_type, outcome.notice
            context["map_query"] = _map_query(request.GET)
            context["rows"] = tiles(page.items)
            if page.next_cursor:
                query = request.GET.copy()
                query["cursor"] = page.next_cursor
                context["next_url"] = f"?{query.urlencode()}"
    if request.htmx:
        partial = "results-page" if request.GET.get("cursor") else "results"
        return render(request, f"search/index.html#{partial}", context)
    context.update(_form_choices(request))
    return render(request, "search/index.html", context)


def _form_choices(request) -> dict:
    """What the full page's form offers: match types (and why meaning is off), filter dropdowns."""
    unavailable = semantic.unavailable_reason()
    chosen = request.GET.get("search_type", "")
    dimensions = services.filter_options(request.user)
    for dimension in dimensions:
        dimension["selected"] = request.GET.get(dimension["param"], "")
        if "max_param" in dimension:  # a range: two inputs (templates/search/_camera_filters.html)
            dimension["selected_max"] = request.GET.get(dimension["max_param"], "")
    return {
        "semantic_unavailable": unavailable,
        # An option that cannot run is shown disabled, never selected: the form then asks for the default.
        "chosen_type": "" if unavailable and chosen != "text" else chosen,
        "search_types": hybrid.SEARCH_TYPES,
        "dimensions": [d for d in dimensions if d["dimension"] not in camera_options.DIMENSIONS
                       and d["dimension"] not in quality_options.DIMENSIONS],
        "quality_dimensions": {d["dimension"]: d for d in dimensions if d["dimension"] in quality_options.DIMENSIONS},
        "quality_open": any(request.GET.get(name) for name in ("quality_min", "quality_max", "blurry", "badly_exposed")),
        "camera_dimensions": [d for d in dimensions if d["dimension"] in camera_options.DIMENSIONS],
        "camera_open": any(request.GET.get(name) for d in dimensions if d["dimension"] in camera_options.DIMENSIONS
                           for name in (d["param"], d.get("max_param"))),
    }
