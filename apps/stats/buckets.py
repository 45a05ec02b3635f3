"""The buckets of the camera-setting distributions, shared by the SQL that counts (migration
stats/0001 builds `stats_keys()` from these edges) and the code that labels a bucket and links it
to the grid's range filters. Changing an edge needs a migration that recreates `stats_keys()` and
recounts (RECOUNT_SQL in that migration).

A bucket is `width_bucket(value, EDGES)`: 0 below the first edge, i for [EDGES[i-1], EDGES[i]).
"""

# ISO: whole stops, so 100, 125 and 160 are one bucket (ISO 100-199).
ISO_EDGES = [25, 50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 102400]

# Aperture: a bucket per whole f-stop, cut halfway (in stops) between two, rounded to a tenth so that
# the one-decimal values cameras record never sit on an edge: f/1.8 counts as f/2, f/3.5 as f/4.
F_STOPS = ["1", "1.4", "2", "2.8", "4", "5.6", "8", "11", "16", "22", "32", "45"]
F_EDGES = [1.2, 1.7, 2.4, 3.4, 4.8, 6.7, 9.5, 13.5, 19.0, 27.0, 38.0]

# Shutter: a bucket per whole stop, 2**k seconds, cut at 2**(k + 0.5): 1/125 and 1/160 are "1/125".
SHUTTER_STOPS = list(range(-13, 6))  # 1/8000 s ... 32 s
SHUTTER_NAMES = {-13: "1/8000", -12: "1/4000", -11: "1/2000", -10: "1/1000", -9: "1/500", -8: "1/250",
                 -7: "1/125", -6: "1/60", -5: "1/30", -4: "1/15", -3: "1/8", -2: "1/4", -1: "1/2",
                 0: "1″", 1: "2″", 2: "4″", 3: "8″", 4: "15″", 5: "30″"}
SHUTTER_EDGES = [round(2 ** (k + 0.5), 8) for k in SHUTTER_STOPS[:-1]]

# Focal length in millimetres as recorded (not 35 mm equivalent): phones' 2-10 mm get their own
# buckets, then the usual zoom ranges.
FOCAL_EDGES = [2, 4, 6, 8, 10, 14, 18, 24, 28, 35, 50, 70, 85, 105, 135, 200, 300, 400, 600]


def sql_array(edges) -> str:
    return "ARRAY[" + ", ".join(repr(float(e)) for e in edges) + "]::float8[]"


def _range(edges, index: int) -> tuple:
    low = edges[index - 1] if index > 0 else None
    high = edges[index] if index < len(edges) else None
    return low, high


def iso_bucket(index: int) -> dict:
    low, high = _range(ISO_EDGES, index)
    label = f"< {high}" if low is None else f"{low}+" if high is None else f"{low}–{high - 1}"
    return {"label": label, "filters": _filters("iso", low, high and high - 1)}


def aperture_bucket(index: int) -> dict:
    low, high = _range(F_EDGES, index)
    label = f"f/{F_STOPS[index]}" if index < len(F_STOPS) else f"f/{F_STOPS[-1]}+"
    # One decimal below the next edge: the filter's maximum is inclusive.
    return {"label": label, "filters": _filters("aperture", low, high and round(high - 0.01, 2))}


def shutter_bucket(index: int) -> dict:
    low, high = _range(SHUTTER_EDGES, index)
    label = SHUTTER_NAMES[SHUTTER_STOPS[index]] if index < len(SHUTTER_STOPS) else "longer"
    return {"label": label, "filters": _filters("shutter", low, high)}


def focal_bucket(index: int) -> dict:
    low, high = _range(FOCAL_EDGES, index)
    label = f"< {high} mm" if low is None else f"{low}+ mm" if high is None else f"{low}–{high} mm"
    return {"label": label, "filters": _filters("focal_length", low, high and round(high - 0.01, 2))}


def _filters(name: str, low, high) -> dict:
    found = {}
    if low is not None:
        found[f"{name}_min"] = _plain(low)
    if high is not None:
        found[f"{name}_max"] = _plain(high)
    return found


def _plain(number) -> str:
    if isinstance(number, float) and not number.is_integer():
        return repr(number)
    return str(int(number))


LABELS = {"iso": iso_bucket, "aperture": aperture_bucket, "shutter": shutter_bucket, "focal": focal_bucket}
