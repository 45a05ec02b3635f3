"""What the detail view shows of edits: the values the edit form starts from, and the file's own
values where a user's edit replaced them ("from the file: ...", with a revert)."""

from datetime import timedelta, timezone

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.assets.models import Asset

from .services import file_values


def zone_text(offset: int | None) -> str:
    if offset is None:
        return ""
    sign = "-" if offset < 0 else "+"
    return f"{sign}{abs(offset) // 60:02}:{abs(offset) % 60:02}"


def _clock(taken_at, offset: int | None):
    """A capture time on its own clock (an unknown offset reads as UTC, as the timeline shows it)."""
    return taken_at.astimezone(timezone(timedelta(minutes=offset or 0))) if taken_at else None


def _place(latitude, longitude) -> str:
    if latitude is None or longitude is None:
        return _("no location")
    return f"{latitude:.5f}, {longitude:.5f}"


def edit_panel(asset: Asset) -> dict:
    """{"form": initial values of the edit form, "file": {group: the file's value, in words}}."""
    taken = _clock(asset.taken_at, asset.taken_at_offset)
    form = {
        "taken_at": taken.strftime("%Y-%m-%dT%H:%M:%S") if taken else "",
        "time_zone": zone_text(asset.taken_at_offset),
        "latitude": "" if asset.latitude is None else f"{asset.latitude:.6f}",
        "longitude": "" if asset.longitude is None else f"{asset.longitude:.6f}",
    }
    shown = {}
    for group, values in file_values(asset).items():
        if group == "taken_at":
            clock = _clock(values["taken_at"], values["taken_at_offset"])
            zone = zone_text(values["taken_at_offset"]) or _("zone unknown")
            # The detail view's own format for a capture time (templates/assets/detail.html).
            shown[group] = f"{date_format(clock, _('D j M Y, H:i:s'))} ({zone})" if clock else _("no date")
        elif group == "location":
            shown[group] = _place(values["latitude"], values["longitude"])
        else:
            shown[group] = values[group] or _("(none)")
    return {"form": form, "file": shown}
