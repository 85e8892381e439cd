"""When is a person's next digest due? Pure functions over zone, digest hour and day start.

A digest belongs to one local day (the person's day, which starts at `day_start_hour`), and is
due at the digest hour's wall-clock time within that day. No database and no clock: `now` is
always passed in, so the sweep, the profile signal and the year-long tests share one answer.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from habits.days import local_day, local_instant


def digest_instant(day: date, tz_name: str, digest_hour: int, day_start_hour: int = 0) -> datetime:
    """When the digest of local day `day` is due (hours before the day start belong to the night after)."""
    return local_instant(day, time(digest_hour), tz_name, day_start_hour)


def next_digest_at(
    *, now: datetime, tz_name: str, digest_hour: int, day_start_hour: int = 0, after: date | None = None
) -> datetime:
    """The first digest instant strictly after `now` for a local day later than `after`.

    `after` is the last local day that already has a digest (sent, failed or skipped): a zone
    or hour change can move the schedule, never back onto a day that was already handled.
    """
    day = local_day(now, tz_name, day_start_hour) - timedelta(days=1)
    if after is not None and day <= after:
        day = after + timedelta(days=1)
    while True:
        instant = digest_instant(day, tz_name, digest_hour, day_start_hour)
        if instant > now:
            return instant
        day += timedelta(days=1)


def is_morning_digest(digest_hour: int, day_start_hour: int = 0) -> bool:
    """A digest early in the person's day looks back at yesterday and ahead at today."""
    return day_start_hour <= digest_hour < 12


def covered_day(day: date, digest_hour: int, day_start_hour: int = 0) -> date:
    """The day a digest reports on: the day that is ending, or yesterday for a morning digest."""
    return day - timedelta(days=1) if is_morning_digest(digest_hour, day_start_hour) else day


@dataclass(frozen=True)
class DuePlan:
    """What a sweep does with one due profile."""

    send_day: date | None      # the local day whose digest goes out now
    skipped_day: date | None   # a day whose digest is too late to send (its day has ended)
    next_at: datetime


def plan_due_digest(
    *, due_at: datetime, now: datetime, tz_name: str, digest_hour: int, day_start_hour: int = 0
) -> DuePlan:
    """Catch-up rule: a digest is sent late only while its own local day is still running.

    After downtime of any length the person gets at most today's digest (once its hour has
    passed); the one that was due on an earlier day is recorded as skipped, and the schedule
    resumes from `now` rather than replaying one day per sweep.
    """
    due_day = local_day(due_at, tz_name, day_start_hour)
    today = local_day(now, tz_name, day_start_hour)
    send_day = today if digest_instant(today, tz_name, digest_hour, day_start_hour) <= now else None
    skipped_day = due_day if due_day < today else None
    handled = [d for d in (send_day, skipped_day) if d is not None]
    next_at = next_digest_at(
        now=now, tz_name=tz_name, digest_hour=digest_hour, day_start_hour=day_start_hour,
        after=max(handled) if handled else None,
    )
    return DuePlan(send_day=send_day, skipped_day=skipped_day, next_at=next_at)
