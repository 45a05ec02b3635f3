"""Shapes of the map, places and trips answers, for the schema (the views build plain dicts: a
serializer per point would cost more than the query at 2,000 points)."""

from rest_framework import serializers


class MapPointSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    taken_at = serializers.DateTimeField(allow_null=True)


class MapClusterSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    lat = serializers.FloatField(help_text="Centroid")
    lon = serializers.FloatField(help_text="Centroid")
    id = serializers.UUIDField(help_text="A representative asset (for a thumbnail)")
    bbox = serializers.ListField(child=serializers.FloatField(), min_length=4, max_length=4,
                                 help_text="west, south, east, north of its grid cell: the `bbox` that lists its photos")


class MapPointsSerializer(serializers.Serializer):
    clustered = serializers.BooleanField(help_text="true: `clusters` (grid cells grouped in the database); false: `points`")
    cell = serializers.FloatField(allow_null=True, help_text="Cluster cell size in degrees")
    total = serializers.IntegerField(help_text="Located assets matching the filters")
    points = MapPointSerializer(many=True)
    clusters = MapClusterSerializer(many=True)


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166 code: the `country` filter")
    name = serializers.CharField()
    count = serializers.IntegerField()
    cover = serializers.UUIDField()


class CitySerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The `place` filter")
    country_code = serializers.CharField()
    country = serializers.CharField()
    count = serializers.IntegerField()
    cover = serializers.UUIDField()


class PlacesSerializer(serializers.Serializer):
    countries = CountrySerializer(many=True)
    cities = CitySerializer(many=True)


class StopSerializer(serializers.Serializer):
    city = serializers.CharField()
    country = serializers.CharField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    count = serializers.IntegerField()


class TripSerializer(serializers.Serializer):
    name = serializers.CharField(help_text='e.g. "Rome and Florence, May 2019"')
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    count = serializers.IntegerField()
    cover = serializers.UUIDField()
    stops = StopSerializer(many=True)
    route = serializers.ListField(child=serializers.ListField(child=serializers.FloatField()),
                                  help_text="[lat, lon] pairs in time order, at most 50")
    countries = serializers.ListField(child=serializers.CharField())
