"""Smart albums: a saved search (any parameters /api/search/ takes), run again for each viewer over
what that viewer can see, so a newly scanned matching photo appears by itself. Freezing one turns it
into a regular album holding what it shows its owner at that moment."""


from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from apps.albums.models import Album
from apps.assets.filters import AssetFilter
from apps.core import keyset
from apps.core.errors import BadInput, Conflict, Unavailable
from apps.core.querysets import Action, check_action
from apps.search import hybrid, semantic
from apps.search import services as search
from apps.search.forms import SearchParams

from .items import MAX_BATCH, add_items

PARAMETERS = frozenset(SearchParams.base_fields) | frozenset(AssetFilter.base_filters)


def _querydict(query: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in query.items():
        data.setlist(name, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return data


def validated(user, query) -> dict:
    """The saved search, checked the way /api/search/ checks it (BadInput naming the parameter)."""
    if not isinstance(query, dict) or not query:
        raise BadInput(_('a smart album needs search parameters, e.g. {"q": "beach"}'), field="query")
    unknown = sorted(set(query) - PARAMETERS)
    if unknown:
        raise BadInput(_("unknown search parameters: %(names)s")
                       % {"names": ', '.join(unknown)}, field="query")
    cleaned = {k: v for k, v in query.items() if v not in ("", None, [])}
    if not cleaned:
        raise BadInput(_("a smart album needs search parameters"), field="query")
    _run(user, cleaned)
    return cleaned


def _run(user, query: dict) -> hybrid.Outcome:
    try:
        return hybrid.run(user, _querydict(query))
    except search.InvalidSearch as exc:
        raise BadInput(errors={f"query.{k}": "; ".join(map(str, v)) for k, v in exc.errors.items()}) from None
    except semantic.SemanticUnavailable as exc:
        raise Unavailable(_("this smart album searches by meaning, which is unavailable: %(exc)s")
                          % {"exc": exc}) from None


def evaluate(album: Album, viewer) -> hybrid.Outcome:
    """The album's search run for `viewer`: assets annotated with `score`."""
    return _run(viewer, album.query)


def live_count(album: Album, viewer) -> int:
    return evaluate(album, viewer).assets.count()


def page(album: Album, viewer, cursor: str | None = None, size: int = 100) -> keyset.Page:
    """A page of what the search shows `viewer`: by date when the album is, else best match first."""
    outcome = evaluate(album, viewer)
    field, descending = (
        ("score", True)
        if album.sort == Album.Sort.MANUAL
        else ("taken_at", album.sort == Album.Sort.DATE_DESC)
    )
    return keyset.page(outcome.assets, field, descending, cursor, size)


def freeze(user, album: Album) -> Album:
    """Turn the smart album into a regular one holding what its search shows `user` now (only what
    they see through their own libraries can go in, as for any album)."""
    check_action(album, user, Action.MANAGE)
    if not album.is_smart:
        raise Conflict(_("this album is not a smart album"))
    assets = evaluate(album, user).assets
    ids = list(assets.order_by("-score", "-taken_at", "pk").values_list("pk", flat=True)[: MAX_BATCH + 1])
    if len(ids) > MAX_BATCH:
        raise Conflict(_("the search shows more than %(MAX_BATCH)s photos; narrow it before freezing")
                       % {"MAX_BATCH": MAX_BATCH})
    with transaction.atomic():
        album.kind, album.query = Album.Kind.REGULAR, {}
        album.save(update_fields=["kind", "query", "updated"])
        if ids:
            add_items(user, album, ids)
    album.refresh_from_db()
    return album
