"""Which local day is it? The one place that answers, for every part of Cadence."""

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

BACKFILL_DAYS = 7


@lru_cache(maxsize=None)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name or "UTC")


def local_day(instant: datetime, tz_name: str, day_start_hour: int = 0) -> date:
    """The day an instant counts for: before `day_start_hour` it still belongs to yesterday."""
    local = instant.astimezone(zone(tz_name))
    return (local - timedelta(hours=day_start_hour)).date()


def today_for(profile, now: datetime) -> date:
    return local_day(now, profile.timezone, profile.day_start_hour)


def day_bounds(day: date, tz_name: str, day_start_hour: int = 0) -> tuple[datetime, datetime]:
    """Aware start and end (exclusive) of a local day, DST included."""
    tz = zone(tz_name)
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz) + timedelta(hours=day_start_hour)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz) + timedelta(hours=day_start_hour)
    return start, end


def utc_offset_minutes(instant: datetime, tz_name: str) -> int:
    return int(instant.astimezone(zone(tz_name)).utcoffset().total_seconds() // 60)


def backfill_window(today: date) -> tuple[date, date]:
    """Check-ins may be added for today and the seven days before it."""
    return today - timedelta(days=BACKFILL_DAYS), today
