"""Metadata edits as the API takes them: on one asset (`assets/<id>/edit/`) or a selection
(`assets/edit/`). Every field is optional; what is left out is left as it is."""

import math
from datetime import datetime, timedelta

from rest_framework import serializers

from apps.assets.edits.services import Changes
from apps.assets.metadata.overrides import GROUPS

# Far enough for any camera clock mistake, small enough that no datetime overflows before the
# service's own check names the photo that would leave 1800-2200.
MAX_SHIFT_SECONDS = 500 * 366 * 24 * 3600


class EditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, allow_blank=True, required=False, trim_whitespace=True)
    description = serializers.CharField(max_length=20000, allow_blank=True, required=False)
    taken_at = serializers.CharField(
        max_length=40, required=False,
        help_text="New capture time, ISO 8601: `2021-06-01T10:30:00` is the photo's clock (in `time_zone`, "
        "else its own zone), `2021-06-01T10:30:00+02:00` states the offset",
    )
    shift_seconds = serializers.IntegerField(
        required=False, min_value=-MAX_SHIFT_SECONDS, max_value=MAX_SHIFT_SECONDS,
        help_text="Move the capture time by this many seconds (negative: earlier)",
    )
    time_zone = serializers.CharField(
        max_length=64, required=False,
        help_text="`+02:00` or an IANA name (`Europe/Rome`): the zone of the capture time",
    )
    keep = serializers.ChoiceField(
        choices=["clock", "instant"], default="clock",
        help_text="With `time_zone` alone: keep the time the camera showed (clock) or the moment (instant)",
    )
    latitude = serializers.FloatField(required=False, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, min_value=-180, max_value=180)
    copy_location_from = serializers.UUIDField(required=False, help_text="Copy the location of this photo")
    revert = serializers.ListField(
        child=serializers.ChoiceField(choices=list(GROUPS)), required=False, max_length=len(GROUPS),
        help_text="Go back to the file's value of these: title, description, taken_at, location",
    )

    def validate_taken_at(self, value: str) -> datetime:
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            raise serializers.ValidationError("an ISO 8601 date and time, e.g. 2021-06-01T10:30:00") from None

    def validate(self, data):
        for name in ("latitude", "longitude"):
            if name in data and not math.isfinite(data[name]):
                raise serializers.ValidationError({name: "a finite number"})
        if ("latitude" in data) != ("longitude" in data):
            raise serializers.ValidationError({"longitude": "latitude and longitude go together"})
        if "latitude" in data and "copy_location_from" in data:
            raise serializers.ValidationError({"copy_location_from": "either a location or a photo to copy it from"})
        if "taken_at" in data and "shift_seconds" in data:
            raise serializers.ValidationError({"shift_seconds": "either a new capture time or a shift"})
        return data

    def changes(self) -> Changes:
        data = self.validated_data
        return Changes(
            title=data.get("title"),
            description=data.get("description"),
            taken_at=data.get("taken_at"),
            shift=timedelta(seconds=data["shift_seconds"]) if "shift_seconds" in data else None,
            zone=data.get("time_zone"),
            keep_clock=data.get("keep", "clock") == "clock",
            location=(data["latitude"], data["longitude"]) if "latitude" in data else None,
            copy_location_from=data.get("copy_location_from"),
            revert=tuple(data.get("revert", ())),
        )


class BatchEditSerializer(EditSerializer):
    ids = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=1000)


class BatchEditResultSerializer(serializers.Serializer):
    updated = serializers.IntegerField(help_text="Photos changed")
