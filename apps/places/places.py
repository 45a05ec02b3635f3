"""Countries and cities of a user's photos (the offline reverse geocoding apps.search stores per asset),
each with a count and a cover, most photographed first: the Places page, like Immich's Explore."""

from django.db.models import Aggregate, Count

PLACES_LIMIT = 500  # a page of cards, not a gazetteer


class AnyValue(Aggregate):
    """PostgreSQL 16's any_value: a cover without sorting the group (there is no min(uuid));
    Django has its own only from 6.0."""

    function = "ANY_VALUE"
    name = "AnyValue"


def countries(assets) -> list[dict]:
    # `gt ""` rather than a negation: assets without a search row yet must not count as a blank country.
    rows = (assets.filter(search__country_code__gt="").order_by()
            .values("search__country_code", "search__country")
            .annotate(count=Count("pk"), cover=AnyValue("pk"))
            .order_by("-count", "search__country")[:PLACES_LIMIT])
    return [{"code": r["search__country_code"], "name": r["search__country"] or r["search__country_code"],
             "count": r["count"], "cover": r["cover"]} for r in rows]


def cities(assets) -> list[dict]:
    rows = (assets.filter(search__city__gt="").order_by()
            .values("search__city", "search__country_code", "search__country")
            .annotate(count=Count("pk"), cover=AnyValue("pk"))
            .order_by("-count", "search__city")[:PLACES_LIMIT])
    return [{"name": r["search__city"], "country_code": r["search__country_code"],
             "country": r["search__country"], "count": r["count"], "cover": r["cover"]} for r in rows]
