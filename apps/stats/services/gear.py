"""Equipment: the most used cameras, lenses and camera + lens pairs, with the grid's filters of each
(camera_make + camera_model, lens)."""

from collections import Counter

from . import counts

SEPARATOR = "\x1f"  # how stats_keys() joins make, model and lens
DEFAULT_LIMIT, MAX_LIMIT = 10, 100


def camera_label(make: str, model: str) -> str:
    make, model = make.strip(), model.strip()
    if make and model.lower().startswith(make.split()[0].lower()):
        return model  # "Canon Canon EOS 5D" reads better as "Canon EOS 5D"
    return " ".join(part for part in (make, model) if part)


def gear(user, kind: str | None = None, limit: int = DEFAULT_LIMIT) -> dict:
    kind = counts.clean_kind(kind)
    cameras, lenses, pairs = Counter(), Counter(), Counter()
    for key, n in counts.summed(counts.rows(user, ["gear"], kind=kind)).items():
        make, model, lens = key.split(SEPARATOR)
        if make or model:
            cameras[(make, model)] += n
        if lens:
            lenses[lens] += n
        if (make or model) and lens:
            pairs[(make, model, lens)] += n
    return {
        "cameras": [_camera(make, model, n) for (make, model), n in _top(cameras, limit)],
        "lenses": [{"lens": lens, "label": lens, "count": n, "filters": {"lens": lens}}
                   for lens, n in _top(lenses, limit)],
        "pairs": [{**_camera(make, model, n), "lens": lens, "label": f"{camera_label(make, model)} + {lens}",
                   "filters": {"camera_make": make, "camera_model": model, "lens": lens}}
                  for (make, model, lens), n in _top(pairs, limit)],
    }


def _camera(make: str, model: str, n: int) -> dict:
    return {"make": make, "model": model, "label": camera_label(make, model), "count": n,
            "filters": {"camera_make": make, "camera_model": model}}


def _top(counter: Counter, limit: int) -> list:
    # Ties by name, so the list is stable between two identical requests.
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]
