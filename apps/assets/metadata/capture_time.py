"""Capture time: parse the date formats cameras write, and pick the one that wins.

The rule (documented in README): a capture time is stored timezone-aware. When the
file states its UTC offset (EXIF OffsetTimeOriginal, an ISO date with an offset,
QuickTime/GPS times which are UTC by definition) the instant is exact and the
offset is kept in minutes. When the file gives only a local wall-clock time (most
EXIF without OffsetTime*), the wall-clock time is stored *as if it were UTC* and
the offset is left null, as Immich does: the timeline then shows the time the
camera showed, and nothing pretends to know the time zone.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

# Sources, best first. A sidecar beats the file: it is where photo editors (and MediaHub, for a
# writable library) write a corrected date, so it is the newer word. EXIF beats XMP (same tag, binary copy is the original),
# GPS time is exact but says nothing of the local time, QuickTime dates are
# often the export time, other containers' dates (AVI, MKV) are local times
# of unknown zone, and mtime is what the file system remembers.
SOURCE_PRIORITY = ("sidecar", "exif", "xmp", "gps", "quicktime", "container", "mtime")

_DATE_RE = re.compile(
    r"^\s*(\d{4})[:\-/](\d{1,2})[:\-/](\d{1,2})"  # date
    r"(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:[.,](\d+))?)?"  # optional time, fraction
    r"\s*(Z|[+\-]\d{2}:?\d{2})?"  # optional offset
)
_OFFSET_RE = re.compile(r"^\s*([+\-])(\d{1,2}):?(\d{2})\s*$")


@dataclass(frozen=True)
class Candidate:
    source: str
    wall: datetime  # naive local wall-clock time (or naive UTC when offset == 0 and exact)
    offset: int | None  # minutes east of UTC; None: unknown

    def aware(self) -> datetime:
        if self.offset is None:
            return self.wall.replace(tzinfo=UTC)
        return self.wall.replace(tzinfo=timezone(timedelta(minutes=self.offset)))


def parse_offset(text) -> int | None:
    """'+02:00' / '-0530' / 'Z' -> minutes east of UTC."""
    if text is None:
        return None
    text = str(text).strip().strip("\x00")
    if text in ("Z", "z"):
        return 0
    match = _OFFSET_RE.match(text)
    if not match:
        return None
    sign, hours, minutes = match.groups()
    total = int(hours) * 60 + int(minutes)
    if total > 14 * 60 or int(minutes) >= 60:
        return None
    return -total if sign == "-" else total


def parse_datetime(text) -> tuple[datetime, int | None] | None:
    """An EXIF/XMP/ISO date string -> (naive wall time, offset minutes or None); None when empty or invalid.

    Accepts '2020:05:04 18:44:06', '2020-05-04T18:44:06.273+02:00', '2009:06:16 14:57:56Z',
    a bare date ('2019:09:02', taken as midnight). Zeroed or blank dates ('0000:00:00 00:00:00') are None.
    """
    if text is None:
        return None
    match = _DATE_RE.match(str(text).strip("\x00 "))
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        wall = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro
        )
    except ValueError:
        return None
    if wall.year < 1800:  # 0000:00:00 and 1-1-1 placeholders some firmware writes
        return None
    return wall, parse_offset(offset) if offset else None


def candidate(source: str, text, offset_text=None) -> Candidate | None:
    """A candidate from a date string and an optional separate offset tag."""
    parsed = parse_datetime(text)
    if parsed is None:
        return None
    wall, offset = parsed
    if offset is None and offset_text is not None:
        offset = parse_offset(offset_text)
    return Candidate(source, wall, offset)


def utc_candidate(source: str, instant: datetime) -> Candidate:
    """A candidate for an exact instant (GPS, QuickTime, mtime) whose local offset is unknown."""
    if instant.tzinfo is not None:
        instant = instant.astimezone(UTC).replace(tzinfo=None)
    return Candidate(source, instant, None)


def choose(candidates: list[Candidate | None]) -> Candidate | None:
    """The best candidate by source priority; the first one given wins among equals."""
    ranked = [c for c in candidates if c is not None]
    if not ranked:
        return None
    return min(ranked, key=lambda c: SOURCE_PRIORITY.index(c.source))
