"""Shapes of /api/stats/... (documentation for drf-spectacular; the services build dicts)."""

from rest_framework import serializers

from apps.assets.models import Asset

FILTERS_HELP = "The Photos grid's filters (asset filter names and values) that show exactly this bar"


class Filters(serializers.DictField):
    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(), help_text=FILTERS_HELP, **kwargs)


class SizesSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    bytes = serializers.IntegerField(help_text="Bytes of the originals")
    derivative_bytes = serializers.IntegerField(help_text="Bytes of thumbnails, previews and transcodes")


class KindTotalSerializer(SizesSerializer):
    kind = serializers.ChoiceField(choices=Asset.Kind.choices)


class LibraryTotalSerializer(SizesSerializer):
    id = serializers.IntegerField(allow_null=True, help_text="null: what albums share from other libraries")
    name = serializers.CharField()


class FileTypeSerializer(serializers.Serializer):
    mime = serializers.CharField(allow_blank=True, help_text="Empty when the type is unknown")
    count = serializers.IntegerField()
    bytes = serializers.IntegerField()


class OverviewSerializer(serializers.Serializer):
    total = SizesSerializer()
    kinds = KindTotalSerializer(many=True)
    libraries = LibraryTotalSerializer(many=True)
    file_types = FileTypeSerializer(many=True)


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField()
    filters = Filters()


class MonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    count = serializers.IntegerField()
    filters = Filters()


class HourSerializer(serializers.Serializer):
    hour = serializers.IntegerField(min_value=0, max_value=23)
    count = serializers.IntegerField()


class WeekdaySerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=1, max_value=7, help_text="ISO: 1 is Monday")
    name = serializers.CharField()
    count = serializers.IntegerField()


class ActivitySerializer(serializers.Serializer):
    years = YearSerializer(many=True)
    months = MonthSerializer(many=True)
    hours = HourSerializer(many=True, help_text="On the camera's clock")
    weekdays = WeekdaySerializer(many=True, help_text="On the camera's clock")
    undated = serializers.IntegerField(help_text="Assets without a capture time")


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    count = serializers.IntegerField()
    filters = Filters()


class CalendarSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    days = DaySerializer(many=True, help_text="The days with assets, in order")
    max = serializers.IntegerField(help_text="The busiest day's count")


class CameraSerializer(serializers.Serializer):
    make = serializers.CharField(allow_blank=True)
    model = serializers.CharField(allow_blank=True)
    label = serializers.CharField()
    count = serializers.IntegerField()
    filters = Filters()


class LensSerializer(serializers.Serializer):
    lens = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    filters = Filters()


class PairSerializer(CameraSerializer):
    lens = serializers.CharField()


class GearSerializer(serializers.Serializer):
    cameras = CameraSerializer(many=True)
    lenses = LensSerializer(many=True)
    pairs = PairSerializer(many=True)


class BucketSerializer(serializers.Serializer):
    bucket = serializers.IntegerField(help_text="Index of the bucket (apps/stats/buckets.py)")
    label = serializers.CharField()
    count = serializers.IntegerField()
    filters = Filters()


class ExposureSerializer(serializers.Serializer):
    iso = BucketSerializer(many=True)
    aperture = BucketSerializer(many=True, help_text="Whole f-stops")
    shutter = BucketSerializer(many=True, help_text="Whole stops, in seconds")
    focal = BucketSerializer(many=True, help_text="Focal length in mm as recorded")
