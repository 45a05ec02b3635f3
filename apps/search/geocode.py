"""Offline reverse geocoding: GPS -> city, region, country from the GeoNames cities in `reverse_geocoder`.

The k-d tree over ~150,000 cities takes about a second to build, so it is built once per process,
on first use, and in single-process mode (the default forks a pool per call).
"""

import functools
from dataclasses import dataclass
from pathlib import Path

# Country names from the tz database's iso3166.tab (public domain), shipped with the app: the
# geocoder gives codes only, and people search for "France", not "FR".
ISO3166_TABLE = Path(__file__).with_name("iso3166.tab")


@dataclass(frozen=True)
class Place:
    city: str = ""
    region: str = ""
    country: str = ""
    country_code: str = ""


@functools.cache
def _geocoder():
    import reverse_geocoder

    return reverse_geocoder.RGeocoder(mode=1, verbose=False)


@functools.cache
def country_names() -> dict[str, str]:
    names = {}
    try:
        lines = ISO3166_TABLE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return names
    for line in lines:
        if line and not line.startswith("#") and "\t" in line:
            code, name = line.split("\t", 1)
            names[code.strip()] = name.strip()
    return names


def places(points: list[tuple[float, float]]) -> list[Place]:
    """The nearest city of each (lat, lon), in one k-d tree query for the whole batch."""
    if not points:
        return []
    names = country_names()
    results = _geocoder().query(points)
    return [
        Place(row["name"], row["admin1"], names.get(row["cc"], row["cc"]), row["cc"])
        for row in results
    ]
