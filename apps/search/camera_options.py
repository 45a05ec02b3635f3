"""filter-options' camera-setting dimensions: ISO, aperture, shutter, focal length and its 35 mm
equivalent (ranges: the lowest and highest value, and the values taken, with counts), RAW and
orientation (counts per choice), over the assets the caller can see.

All of them come from one scan of the visible assets (GROUP BY GROUPING SETS): seven GROUP BYs
would read the library seven times.
"""

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper
from django.utils.translation import gettext

from apps.assets.camera_filters import Orientation, is_raw

OPTIONS_LIMIT = 200  # the most common values of a range (a datalist, not a report)

# dimension -> (column in the scan, the filter parameter: `<param>_min` / `<param>_max` for a range)
RANGES = {
    "iso": ("iso", "iso"),
    "aperture": ("f_number", "aperture"),
    "shutter": ("exposure_time", "shutter"),
    "focal_length": ("focal_length", "focal_length"),
    "focal_length_35mm": ("focal_length_35mm", "focal_length_35mm"),
}
CHOICES = {"raw": ("is_raw", "raw"), "orientation": ("shape", "orientation")}
DIMENSIONS = [*RANGES, *CHOICES]


def shutter_value(seconds: float) -> str:
    """A shutter speed as the filter takes it and cameras show it: `1/250` when it is one, else seconds."""
    if seconds < 1:
        denominator = round(1 / seconds)
        if abs(1 / denominator - seconds) <= seconds * 1e-6:
            return f"1/{denominator}"
    return f"{seconds:g}"


def _value(dimension: str, raw):
    if dimension == "shutter":
        return shutter_value(raw)
    return float(f"{raw:.6g}") if isinstance(raw, float) else raw


LABELS = {
    "iso": lambda v: f"ISO {v}",
    "aperture": lambda v: f"f/{v:g}",
    "shutter": lambda v: f"{v} s",
    "focal_length": lambda v: f"{v:g} mm",
    "focal_length_35mm": lambda v: gettext("%(length)s mm (35 mm equivalent)") % {"length": f"{v:g}"},
    "raw": lambda v: "RAW" if v else gettext("Not RAW"),
    "orientation": lambda v: dict(Orientation.CHOICES)[v],
}


def _counts(assets, columns: list[str]) -> dict[str, list[tuple]]:
    """{column: [(value, count)]} for each column, non-null values only, in one scan."""
    shown = assets.annotate(shape=Orientation.expression(),
                            is_raw=ExpressionWrapper(is_raw(), output_field=BooleanField())).values(*columns)
    sql, params = shown.query.sql_with_params()
    flags = ", ".join(f"GROUPING({c})" for c in columns)
    sets = ", ".join(f"({c})" for c in columns)
    counts = {column: [] for column in columns}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {flags}, {', '.join(columns)}, count(*) FROM ({sql}) AS shown "
                       f"GROUP BY GROUPING SETS ({sets})", params)
        for row in cursor.fetchall():
            index = row[: len(columns)].index(0)  # the one column this row is grouped by
            value = row[len(columns) + index]
            if value is not None:
                counts[columns[index]].append((value, row[-1]))
    return counts


def options(assets, names: list[str]) -> dict[str, dict]:
    """{dimension: its filter-options entry} for the camera-setting dimensions among `names`."""
    wanted = [name for name in names if name in RANGES or name in CHOICES]
    if not wanted:
        return {}
    columns = {name: (RANGES.get(name) or CHOICES[name])[0] for name in wanted}
    counts = _counts(assets, list(dict.fromkeys(columns.values())))
    found = {}
    for name in wanted:
        rows = counts[columns[name]]
        if name in CHOICES:
            param = CHOICES[name][1]
            order = [True, False] if name == "raw" else [shape for shape, _ in Orientation.CHOICES]
            rows = sorted(rows, key=lambda row: order.index(row[0]))
            found[name] = {"dimension": name, "param": param, "options": [
                {"value": value, "label": LABELS[name](value), "count": count} for value, count in rows]}
            continue
        param = RANGES[name][1]
        common = sorted(sorted(rows, key=lambda row: -row[1])[:OPTIONS_LIMIT])  # the commonest, by value
        entry = {"dimension": name, "param": f"{param}_min", "max_param": f"{param}_max", "options": [
            {"value": _value(name, value), "label": LABELS[name](_value(name, value)), "count": count}
            for value, count in common]}
        if rows:
            entry["min"] = _value(name, min(value for value, _ in rows))
            entry["max"] = _value(name, max(value for value, _ in rows))
        found[name] = entry
    return found
