""""On this day": photos of the same calendar day (give or take WINDOW_DAYS) in earlier years, one
memory per year, each a varied handful rather than ten frames of one burst.

The day is looked up on the capture's own clock (`Asset.capture_day`, index-only through
`asset_capture_day`); candidates are thinned in SQL to one photo per SPREAD_MINUTES slot before the
handful is spread over them (tests/benchmarks/bench_explore.py)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Exists, FloatField, Min, OuterRef
from django.db.models.functions import Cast, Extract, Floor
from django.utils.translation import gettext as _

from apps.core.errors import BadInput

from ..models import Asset, AssetUserState, HiddenMemory

WINDOW_DAYS = 3
PER_YEAR = 6
SPREAD_MINUTES = 30  # one photo per half hour at most: a burst or a panorama series counts once
# The oldest capture year bounds the years looked at; older photos added meanwhile wait this long.
OLDEST_YEAR_SECONDS = 3600
OLDEST_YEAR_KEY = "assets:memories:oldest-year"
# What a story card, its tiles and the API's rows read; not the whole row (its vectors included).
CARD_FIELDS = ("id", "library_id", "kind", "filename", "taken_at", "taken_at_offset", "width", "height",
               "duration", "content_hash", "user_rotation", "status")


@dataclass
class Memory:
    year: int
    years_ago: int
    assets: list = field(default_factory=list)

    @property
    def title(self) -> str:
        return "1 year ago" if self.years_ago == 1 else f"{self.years_ago} years ago"


def parse_day(raw: str | None, today: date) -> date:
    if not raw:
        return today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadInput(_("expected a date as YYYY-MM-DD"), field="date") from None


def month_days(day: date) -> list[int]:
    """The calendar days around `day` as month*100+day (29 February included when near it)."""
    days = {(day + timedelta(days=k)) for k in range(-WINDOW_DAYS, WINDOW_DAYS + 1)}
    keys = {d.month * 100 + d.day for d in days}
    if 228 in keys and 301 in keys:
        keys.add(229)  # a leap day belongs to every year's window that spans the end of February
    return sorted(keys)


def on_this_day(user, day: date) -> list[Memory]:
    """Memories for `day`, newest year first, without the years the user hid for this day.

    The day itself first; the days around it fill in the years where the day alone has fewer than
    PER_YEAR moments. A busy library reads one day's rows (a seventh of the window: 21 ms instead
    of 200 ms at a million assets), a sparse one reads the whole window, which is small there."""
    hidden = set(HiddenMemory.objects.filter(user=user.pk, month=day.month, day=day.day).values_list("year", flat=True))
    # Years are named, not ranged: the index then reads only the years still short of moments.
    oldest = cache.get_or_set(OLDEST_YEAR_KEY, _oldest_year, OLDEST_YEAR_SECONDS)
    years = [year for year in range(oldest, day.year) if year not in hidden]
    per_year = _moments(user, day, [day.month * 100 + day.day], years)
    short = [year for year in years if len(per_year.get(year, ())) < PER_YEAR]
    if short:
        per_year.update(_moments(user, day, month_days(day), short))
    year_of = {pk: year for year, ids in per_year.items() for pk in _spread(ids, PER_YEAR)}
    memories = {year: Memory(year, day.year - year) for year in sorted(set(year_of.values()), reverse=True)}
    shown = Asset.objects.filter(pk__in=year_of).only(*CARD_FIELDS)
    for asset in shown.order_by("taken_at", "pk"):
        memories[year_of[asset.pk]].assets.append(asset)
    return list(memories.values())


def forget_oldest_year() -> None:
    """A user moved a capture time (apps/assets/edits): an older year counts at once, not in an hour."""
    cache.delete(OLDEST_YEAR_KEY)


def _oldest_year() -> int:
    """The capture year of the oldest photo (anyone's: it only bounds the search). Its camera's
    clock is within a day of UTC, so the first day's rows say it; both reads follow the timeline index."""
    alive = Asset.objects.alive().filter(taken_at__isnull=False)
    first = alive.order_by("taken_at").values_list("taken_at", flat=True).first()
    if first is None:
        return date.max.year
    return alive.filter(taken_at__lt=first + timedelta(days=1)).aggregate(oldest=Min("capture_year"))["oldest"]


def _moments(user, day: date, month_days: list[int], years: list[int]) -> dict[int, list]:
    """{year: [asset id, ...]}: one photo or video per SPREAD_MINUTES slot, in time order, on the
    calendar days `month_days` of `years`."""
    rejected = AssetUserState.objects.filter(user=user.pk, asset=OuterRef("pk"), rejected=True)
    candidates = (
        Asset.objects.visible_to(user).alive()
        .filter(kind__in=(Asset.Kind.PHOTO, Asset.Kind.VIDEO), taken_at__isnull=False)
        .filter(capture_day__in=month_days, capture_year__in=years)
        .exclude(Exists(rejected))
        .annotate(slot=Floor(Cast(Extract("taken_at", "epoch"), FloatField()) / (SPREAD_MINUTES * 60)))
        .order_by("capture_year", "slot", "taken_at")
        .distinct("capture_year", "slot")
        .values_list("pk", "capture_year", "slot")
    )
    per_year: dict[int, list] = {}
    for pk, year, _slot in candidates:
        per_year.setdefault(year, []).append(pk)
    return per_year


def _spread(ids: list, count: int) -> list:
    """`count` items evenly spread over time-ordered `ids` (all of them when there are fewer)."""
    if len(ids) <= count:
        return ids
    step = len(ids) / count
    return [ids[int(i * step + step / 2)] for i in range(count)]


def hide(user, day: date, year: int) -> None:
    """Hide the memory of `year` shown on `day`'s calendar day; hiding twice is hiding once."""
    if not 1800 <= year < day.year:
        raise BadInput(_("a memory is of an earlier year than the day"), field="year")
    HiddenMemory.objects.get_or_create(user=user, year=year, month=day.month, day=day.day)


def unhide(user, day: date, year: int) -> None:
    HiddenMemory.objects.filter(user=user, year=year, month=day.month, day=day.day).delete()
