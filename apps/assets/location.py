"""Where assets were taken: a bounding box, or a radius around a point (a box the (latitude, longitude)
index can use, then haversine). The asset FilterSet's `bbox` and `near`, and search's lat/lon/radius_km."""

import math
from dataclasses import dataclass

from django import forms
from django.db.models import F, FloatField, Q, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
MAX_RADIUS_KM = 20_015  # half the Earth's circumference: beyond it every point is inside


def _haversine_km(lat: float, lon: float):
    dlat = Radians(F("latitude") - Value(lat)) / 2
    dlon = Radians(F("longitude") - Value(lon)) / 2
    a = Power(Sin(dlat), 2) + Value(math.cos(math.radians(lat))) * Cos(Radians(F("latitude"))) * Power(Sin(dlon), 2)
    # LEAST guards asin against a rounding error just above 1 for antipodal points.
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(Least(a, Value(1.0), output_field=FloatField())))


def within(assets, lat: float, lon: float, radius_km: float):
    dlat = radius_km / KM_PER_DEGREE
    assets = assets.filter(latitude__range=(lat - dlat, lat + dlat))
    cos_lat = math.cos(math.radians(lat))
    # Near a pole or across the antimeridian a longitude box would wrongly cut; latitude alone is safe.
    if cos_lat > 0.01:
        dlon = radius_km / (KM_PER_DEGREE * cos_lat)
        if lon - dlon >= -180 and lon + dlon <= 180:
            assets = assets.filter(longitude__range=(lon - dlon, lon + dlon))
    return assets.alias(distance_km=_haversine_km(lat, lon)).filter(distance_km__lte=radius_km)


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    def condition(self) -> Q:
        """Latitude between south and north; longitude between west and east, or across the
        antimeridian when west > east (a map panned over the Pacific)."""
        inside = Q(latitude__gte=self.south, latitude__lte=self.north)
        if self.west <= self.east:
            return inside & Q(longitude__gte=self.west, longitude__lte=self.east)
        return inside & (Q(longitude__gte=self.west) | Q(longitude__lte=self.east))

    def __str__(self):
        return ",".join(f"{v:g}" for v in (self.west, self.south, self.east, self.north))


def _numbers(value: str, count: int, what: str) -> list[float]:
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != count:
        raise forms.ValidationError(f"{what}: {count} numbers separated by commas", code="invalid")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise forms.ValidationError(f"{what}: {count} numbers separated by commas", code="invalid") from None
    if not all(math.isfinite(n) for n in numbers):
        raise forms.ValidationError(f"{what}: finite numbers only", code="invalid")
    return numbers


class BBoxField(forms.CharField):
    """`west,south,east,north` in degrees; longitudes beyond +-180 (a map panned round the world) wrap."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        west, south, east, north = _numbers(value, 4, "bbox (west,south,east,north)")
        if not (-90 <= south <= north <= 90):
            raise forms.ValidationError("bbox: need -90 <= south <= north <= 90", code="invalid")
        if east - west >= 360:
            west, east = -180.0, 180.0
        else:
            west, east = _wrap(west), _wrap(east)
        return BBox(west, south, east, north)


class NearField(forms.CharField):
    """`lat,lon,km`: within km of the point."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        lat, lon, km = _numbers(value, 3, "near (lat,lon,km)")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise forms.ValidationError("near: latitude within +-90, longitude within +-180", code="invalid")
        if not (0 < km <= MAX_RADIUS_KM):
            raise forms.ValidationError(f"near: a radius above 0 and at most {MAX_RADIUS_KM} km", code="invalid")
        return (lat, lon, km)


def _wrap(lon: float) -> float:
    return lon if -180 <= lon <= 180 else ((lon + 180) % 360) - 180
