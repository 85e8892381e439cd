"""Which local day is it, and which instant is a local wall-clock time? The one place that
answers both, for every part of Cadence: no other module converts between wall clocks and
instants."""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

BACKFILL_DAYS = 7
MINUTE = timedelta(minutes=1)
NOON = time(12)


@lru_cache(maxsize=None)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name or "UTC")


def local_day(instant: datetime, tz_name: str, day_start_hour: int = 0) -> date:
    """The day an instant counts for: before `day_start_hour` it still belongs to yesterday."""
    local = instant.astimezone(zone(tz_name))
    return (local - timedelta(hours=day_start_hour)).date()


def today_for(profile, now: datetime) -> date:
    return local_day(now, profile.timezone, profile.day_start_hour)


def wall_clock_instant(naive: datetime, tz_name: str) -> datetime:
    """A local wall-clock time as an aware UTC instant.

    A time skipped by a spring-forward change resolves to the first instant after the gap
    (the moment clocks jump); a time repeated by a fall-back change resolves to its first
    occurrence, so it is only ever due once.
    """
    tz = zone(tz_name)
    instant = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == naive:
        return instant
    # Inside a gap: fold=1 reads the wall time with the later offset, which lands just before
    # the jump; step to the first minute whose wall time is not earlier (gaps are short).
    instant = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    while instant.astimezone(tz).replace(tzinfo=None) < naive:
        instant += MINUTE
    return instant


def local_instant(day: date, at_time: time, tz_name: str, day_start_hour: int = 0) -> datetime:
    """The instant of `at_time` on local day `day`: times before the day-start hour belong to
    the night after (a 01:00 check-in with a 04:00 day start is the next calendar date)."""
    calendar_day = day + timedelta(days=1) if at_time.hour < day_start_hour else day
    return wall_clock_instant(datetime.combine(calendar_day, at_time), tz_name)


def local_noon(day: date, tz_name: str) -> datetime:
    """Stands in for a check-in whose time is unknown (backfilled, imported): noon keeps its day right."""
    return wall_clock_instant(datetime.combine(day, NOON), tz_name)


def day_bounds(day: date, tz_name: str, day_start_hour: int = 0) -> tuple[datetime, datetime]:
    """Aware start and end (exclusive) of a local day, DST included."""
    start = wall_clock_instant(datetime.combine(day, time(day_start_hour)), tz_name)
    end = wall_clock_instant(datetime.combine(day + timedelta(days=1), time(day_start_hour)), tz_name)
    return start, end


def utc_offset_minutes(instant: datetime, tz_name: str) -> int:
    return int(instant.astimezone(zone(tz_name)).utcoffset().total_seconds() // 60)


def backfill_window(today: date) -> tuple[date, date]:
    """Check-ins may be added for today and the seven days before it."""
    return today - timedelta(days=BACKFILL_DAYS), today
