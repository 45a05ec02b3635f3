"""filter-options' quality dimensions, over the assets the caller can see: the 0-100 score as a
range (its lowest and highest value, and counts per tenth: 0-9, 10-19, ... 90-100), and the
`blurry` and `badly_exposed` flags as toggles (counts of flagged and of scored-but-not-flagged photos).
"""

from django.db.models import Count, F, Max, Min, Q, Value
from django.db.models.functions import Least

DIMENSIONS = ["quality", "blurry", "badly_exposed"]
FLAG_LABELS = {
    "blurry": {True: "Blurry", False: "In focus"},
    "badly_exposed": {True: "Badly exposed", False: "Well exposed"},
}


def _tenth(tenth: int) -> str:
    """0-9, 10-19, ..., 90-100: the last tenth holds the perfect score."""
    return f"{tenth * 10}-{tenth * 10 + (10 if tenth == 9 else 9)}"


def _score(assets) -> dict:
    scored = assets.filter(quality__isnull=False)
    rows = (scored.annotate(tenth=Least(F("quality") / 10, Value(9))).values("tenth")
            .annotate(count=Count("pk")).order_by("tenth"))
    entry = {"dimension": "quality", "param": "quality_min", "max_param": "quality_max", "options": [
        {"value": row["tenth"] * 10, "label": _tenth(row["tenth"]), "count": row["count"]} for row in rows]}
    if entry["options"]:
        bounds = scored.aggregate(low=Min("quality"), high=Max("quality"))
        entry["min"], entry["max"] = bounds["low"], bounds["high"]
    return entry


def _flags(assets, names: list[str]) -> dict:
    counts = assets.aggregate(**{
        f"{name}_{value}": Count("pk", filter=Q(**{f"quality_detail__{name}": value}))
        for name in names for value in (True, False)})
    return {name: {"dimension": name, "param": name, "options": [
        {"value": value, "label": FLAG_LABELS[name][value], "count": counts[f"{name}_{value}"]}
        for value in (True, False) if counts[f"{name}_{value}"]]} for name in names}


def options(assets, names: list[str]) -> dict[str, dict]:
    """{dimension: its filter-options entry} for the quality dimensions among `names`."""
    found = {}
    if "quality" in names:
        found["quality"] = _score(assets)
    if flags := [name for name in ("blurry", "badly_exposed") if name in names]:
        found.update(_flags(assets, flags))
    return found
