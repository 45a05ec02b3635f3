"""Shapes of /api/stats/... (documentation for drf-spectacular; the services build dicts)."""

from rest_framework import serializers

from apps.assets.models import Asset

FILTERS_HELP = "The Photos grid's filters (asset filter names and values) that show exactly this bar"


class Filters(serializers.DictField):
    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(), help_text=FILTERS_HELP, **kwargs)


class StatsSizesSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    bytes = serializers.IntegerField(help_text="Bytes of the originals")
    derivative_bytes = serializers.IntegerField(help_text="Bytes of thumbnails, previews and transcodes")


class StatsKindTotalSerializer(StatsSizesSerializer):
    kind = serializers.ChoiceField(choices=Asset.Kind.choices)


class StatsLibraryTotalSerializer(StatsSizesSerializer):
    id = serializers.IntegerField(allow_null=True, help_text="null: what albums share from other libraries")
    name = serializers.CharField()


class StatsFileTypeSerializer(serializers.Serializer):
    mime = serializers.CharField(allow_blank=True, help_text="Empty when the type is unknown")
    count = serializers.IntegerField()
    bytes = serializers.IntegerField()


class StatsOverviewSerializer(serializers.Serializer):
    total = StatsSizesSerializer()
    kinds = StatsKindTotalSerializer(many=True)
    libraries = StatsLibraryTotalSerializer(many=True)
    file_types = StatsFileTypeSerializer(many=True)


class StatsYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField()
    filters = Filters()


class StatsMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    count = serializers.IntegerField()
    filters = Filters()


class StatsHourSerializer(serializers.Serializer):
    hour = serializers.IntegerField(min_value=0, max_value=23)
    count = serializers.IntegerField()


class StatsWeekdaySerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=1, max_value=7, help_text="ISO: 1 is Monday")
    name = serializers.CharField()
    count = serializers.IntegerField()


class StatsActivitySerializer(serializers.Serializer):
    years = StatsYearSerializer(many=True)
    months = StatsMonthSerializer(many=True)
    hours = StatsHourSerializer(many=True, help_text="On the camera's clock")
    weekdays = StatsWeekdaySerializer(many=True, help_text="On the camera's clock")
    undated = serializers.IntegerField(help_text="Assets without a capture time")


class StatsDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    count = serializers.IntegerField()
    filters = Filters()


class StatsCalendarSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    days = StatsDaySerializer(many=True, help_text="The days with assets, in order")
    max = serializers.IntegerField(help_text="The busiest day's count")


class StatsCameraSerializer(serializers.Serializer):
    make = serializers.CharField(allow_blank=True)
    model = serializers.CharField(allow_blank=True)
    label = serializers.CharField()
    count = serializers.IntegerField()
    filters = Filters()


class StatsLensSerializer(serializers.Serializer):
    lens = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    filters = Filters()


class StatsPairSerializer(StatsCameraSerializer):
    lens = serializers.CharField()


class StatsGearSerializer(serializers.Serializer):
    cameras = StatsCameraSerializer(many=True)
    lenses = StatsLensSerializer(many=True)
    pairs = StatsPairSerializer(many=True)


class StatsBucketSerializer(serializers.Serializer):
    bucket = serializers.IntegerField(help_text="Index of the bucket (apps/stats/buckets.py)")
    label = serializers.CharField()
    count = serializers.IntegerField()
    filters = Filters()


class StatsExposureSerializer(serializers.Serializer):
    iso = StatsBucketSerializer(many=True)
    aperture = StatsBucketSerializer(many=True, help_text="Whole f-stops")
    shutter = StatsBucketSerializer(many=True, help_text="Whole stops, in seconds")
    focal = StatsBucketSerializer(many=True, help_text="Focal length in mm as recorded")
