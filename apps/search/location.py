"""Assets within a radius of a point: a bounding box the (latitude, longitude) index can use, then haversine."""

import math

from django.db.models import F, FloatField, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


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
