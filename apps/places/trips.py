"""Trips: runs of photos taken away from home, named after the cities they visit.

Home is the densest place of the user's photos: the HOME_CELL-degree grid cell holding most of them
(a one-pass density estimate; DBSCAN over the whole library would cost seconds at 400,000 points),
and every photo within HOME_RADIUS_KM of that cell's centroid is at home. The other photos, in time
order, are cut into runs wherever a photo at home falls between two of them or MAX_GAP passes without
one. Inside a run, DBSCAN on haversine distance groups the positions into stops (Rome, then
Florence); a run with at least MIN_PHOTOS photos is a trip named after its stops' cities.

Computed on demand and cached under a fingerprint of the visible GPS set (services.trips): a trip
list changes only when that set does, which the fingerprint notices whatever the cause (a scan, the
trash, an album shared with the user), with no task or table to keep in step.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from apps.assets.location import EARTH_RADIUS_KM

HOME_CELL = 0.25  # degrees, ~25 km: a town and its surroundings
HOME_RADIUS_KM = 50
MAX_GAP = timedelta(days=3)
STOP_KM = 25  # DBSCAN eps: photos closer than this (through neighbours) are one stop
MIN_PHOTOS = 3
ROUTE_POINTS = 50  # a small map's line, not every photo
STOPS_SHOWN = 20


@dataclass
class Photo:
    id: str
    lat: float
    lon: float
    taken_at: object
    city: str = ""
    country: str = ""


@dataclass
class Trip:
    photos: list[Photo] = field(default_factory=list)
    stops: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        start, end = self.photos[0].taken_at, self.photos[-1].taken_at
        return {
            "name": trip_name([s["city"] or s["country"] for s in self.stops], start),
            "start": start, "end": end, "count": len(self.photos),
            "cover": self.photos[len(self.photos) // 2].id,
            "stops": self.stops[:STOPS_SHOWN],
            "route": [[round(p.lat, 5), round(p.lon, 5)] for p in _sampled(self.photos, ROUTE_POINTS)],
            "countries": sorted({p.country for p in self.photos if p.country}),
        }


def home_of(photos: list[Photo]) -> tuple[float, float] | None:
    cells = Counter((math.floor(p.lat / HOME_CELL), math.floor(p.lon / HOME_CELL)) for p in photos)
    if not cells:
        return None
    (cy, cx), _ = cells.most_common(1)[0]
    inside = [p for p in photos if (math.floor(p.lat / HOME_CELL), math.floor(p.lon / HOME_CELL)) == (cy, cx)]
    return sum(p.lat for p in inside) / len(inside), sum(p.lon for p in inside) / len(inside)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def find_trips(photos: list[Photo]) -> list[dict]:
    """`photos` in time order (with GPS and a capture time): the trips, newest first."""
    home = home_of(photos)
    if home is None:
        return []
    runs, run, last_away = [], [], None
    for photo in photos:
        if haversine_km(home, (photo.lat, photo.lon)) <= HOME_RADIUS_KM:
            if run:
                runs.append(run)
            run, last_away = [], None
            continue
        if last_away is not None and photo.taken_at - last_away.taken_at > MAX_GAP:
            runs.append(run)
            run = []
        run.append(photo)
        last_away = photo
    if run:
        runs.append(run)
    runs = [run for run in runs if len(run) >= MIN_PHOTOS]
    trips = [Trip(photos=run, stops=stops) for run, stops in zip(runs, stops_of(runs), strict=True)]
    return [trip.as_dict() for trip in reversed(trips)]


def stops_of(runs: list[list[Photo]]) -> list[list[dict]]:
    """Each run's stops, in the order they were first reached: DBSCAN on haversine distance (eps
    STOP_KM) inside each run, never across two runs.

    One DBSCAN call for all the runs, over a block-diagonal sparse matrix of each run's own pairwise
    distances (`metric="precomputed"`): a call per run cost sklearn's ~10 ms of set-up each, and
    4,000 runs took 50-90 s (bench_map.py). A run within STOP_KM of itself is one stop, no matrix;
    a run too large for a dense block gets its own ball-tree DBSCAN.
    """
    import numpy as np
    from scipy.sparse import coo_matrix
    from sklearn.cluster import DBSCAN  # the optional ML stack, imported when trips are computed

    eps = STOP_KM / EARTH_RADIUS_KM
    labels: list = [None] * len(runs)
    rows, cols, dists, owners, offset = [], [], [], [], 0
    for n, run in enumerate(runs):
        first = (run[0].lat, run[0].lon)
        if all(haversine_km(first, (p.lat, p.lon)) <= STOP_KM / 2 for p in run):
            labels[n] = np.zeros(len(run), dtype=int)
            continue
        points = np.radians([[p.lat, p.lon] for p in run])
        if len(run) > BLOCK_LIMIT:
            labels[n] = DBSCAN(eps=eps, min_samples=1, metric="haversine", algorithm="ball_tree").fit(points).labels_
            continue
        distance = _haversine_matrix(points)
        i, j = np.nonzero(distance <= eps)
        # + a hair: an explicit 0 (the same spot twice) would read as "no edge" in a sparse matrix.
        rows.append(i + offset), cols.append(j + offset), dists.append(distance[i, j] + 1e-12)
        owners.append((n, offset, len(run)))
        offset += len(run)
    if owners:
        graph = coo_matrix((np.concatenate(dists), (np.concatenate(rows), np.concatenate(cols))),
                           shape=(offset, offset)).tocsr()
        found = DBSCAN(eps=eps, min_samples=1, metric="precomputed").fit(graph).labels_
        for n, start, size in owners:
            labels[n] = found[start:start + size]
    return [_grouped(run, run_labels) for run, run_labels in zip(runs, labels, strict=True)]


BLOCK_LIMIT = 2000  # a 2,000-photo run's dense distance block is 32 MB of float64


def _haversine_matrix(points):
    import numpy as np

    lat, lon = points[:, 0:1], points[:, 1:2]
    h = np.sin((lat - lat.T) / 2) ** 2 + np.cos(lat) * np.cos(lat.T) * np.sin((lon - lon.T) / 2) ** 2
    return 2 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _grouped(run: list[Photo], labels) -> list[dict]:
    groups: dict[int, list[Photo]] = {}
    for photo, label in zip(run, labels, strict=True):
        groups.setdefault(int(label), []).append(photo)
    return [_stop(members) for members in sorted(groups.values(), key=lambda g: g[0].taken_at)]


def _stop(members: list[Photo]) -> dict:
    cities = Counter(p.city for p in members if p.city)
    countries = Counter(p.country for p in members if p.country)
    return {
        "city": cities.most_common(1)[0][0] if cities else "",
        "country": countries.most_common(1)[0][0] if countries else "",
        "lat": round(sum(p.lat for p in members) / len(members), 5),
        "lon": round(sum(p.lon for p in members) / len(members), 5),
        "count": len(members),
    }


def trip_name(places: list[str], start) -> str:
    """"Rome and Florence, May 2019": the first three distinct place names, in order."""
    names = list(dict.fromkeys(p for p in places if p))
    if len(names) > 3:
        names = names[:2] + ["more"]
    when = start.strftime("%B %Y")
    if not names:
        return f"Trip, {when}"
    words = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{words}, {when}"


def _sampled(photos: list[Photo], count: int) -> list[Photo]:
    if len(photos) <= count:
        return photos
    step = (len(photos) - 1) / (count - 1)
    return [photos[round(i * step)] for i in range(count)]
