"""When is each person's next daily email due? Stored as `EmailSchedule.next_digest_at` (UTC,
indexed), so a sweep costs what is due, not what exists. The clock it is computed in (time zone,
day start) is onboarding's; the hour and the stream switches are the schedule's.

The daily digest is due every day at the digest hour. People who turned the digest off but kept
the 30-day drip are due only on milestone days, at the same hour.
"""

from datetime import date, datetime

from django.db.models import Max
from django.utils import timezone

from habits.days import local_day
from onboarding.models import CoachingProfile

from . import schedule
from .models import DRIP_MILESTONES, DigestSend, EmailSchedule, default_digest_hour

BULK_BATCH = 500


def onboarded_day(onboarded_at: datetime | None, tz_name: str, day_start_hour: int) -> date | None:
    """Day 0 of the drip: the local day onboarding completed."""
    return local_day(onboarded_at, tz_name, day_start_hour) if onboarded_at else None


def milestone_on(day: date | None, day_zero: date | None) -> int | None:
    """The drip milestone a local day carries. Day 0's welcome normally goes at once on completion;
    if the sweep reaches that day first, the welcome rides in its email instead (never lost, never twice)."""
    if day is None or day_zero is None:
        return None
    number = (day - day_zero).days
    return number if number in DRIP_MILESTONES else None


def next_email_at(*, now: datetime, tz_name: str, digest_hour: int, day_start_hour: int, digest_enabled: bool,
                  drip_enabled: bool, onboarded_at: datetime | None, after: date | None) -> datetime | None:
    """The next instant this person is due an email, after `now` and for a day later than `after`."""
    if onboarded_at is None:
        return None
    if digest_enabled:
        return schedule.next_digest_at(now=now, tz_name=tz_name, digest_hour=digest_hour,
                                       day_start_hour=day_start_hour, after=after)
    if not drip_enabled:
        return None
    day_zero = onboarded_day(onboarded_at, tz_name, day_start_hour)
    for number in DRIP_MILESTONES[1:]:
        day = date.fromordinal(day_zero.toordinal() + number)
        if after is not None and day <= after:
            continue
        instant = schedule.digest_instant(day, tz_name, digest_hour, day_start_hour)
        if instant > now:
            return instant
    return None


def email_schedule_for(profile: CoachingProfile) -> EmailSchedule:
    """This person's schedule, made on first need with the digest hour their chronotype suggests."""
    schedule, _ = EmailSchedule.objects.get_or_create(
        user_id=profile.user_id, defaults={"digest_hour": default_digest_hour(profile.chronotype)}
    )
    return schedule


def digest_schedule_update(*, profile: CoachingProfile, schedule: EmailSchedule | None = None,
                           now: datetime | None = None) -> datetime | None:
    """Store when this person's next email is due (None when they get none)."""
    schedule = schedule or email_schedule_for(profile)
    last_day = DigestSend.objects.filter(user_id=profile.user_id).aggregate(last=Max("local_date"))["last"]
    next_at = next_email_at(
        now=now or timezone.now(), tz_name=profile.timezone, digest_hour=schedule.digest_hour,
        day_start_hour=profile.day_start_hour, digest_enabled=schedule.digest_enabled,
        drip_enabled=schedule.drip_enabled, onboarded_at=profile.onboarding_completed_at, after=last_day,
    )
    # A column update, not a save: preference edits and the sweep write other columns of the same row.
    EmailSchedule.objects.filter(pk=schedule.pk).update(next_digest_at=next_at)
    schedule.next_digest_at = next_at
    return next_at


def email_schedules_bulk_create(*, profile_ids, now: datetime | None = None) -> int:
    """Schedules for profiles created in bulk (seeding, imports), in a few queries."""
    now = now or timezone.now()
    profiles = list(CoachingProfile.objects.filter(pk__in=profile_ids).only(
        "pk", "user_id", "timezone", "chronotype", "day_start_hour", "onboarding_completed_at",
    ))
    existing = set(EmailSchedule.objects.filter(user_id__in=[p.user_id for p in profiles]).values_list("user_id", flat=True))
    EmailSchedule.objects.bulk_create([
        EmailSchedule(user_id=p.user_id, digest_hour=default_digest_hour(p.chronotype))
        for p in profiles if p.user_id not in existing
    ], batch_size=BULK_BATCH)
    return digest_schedules_bulk_update(profiles=profiles, now=now)


def digest_schedules_bulk_update(*, profiles: list[CoachingProfile], now: datetime | None = None) -> int:
    """Recompute the next send time of many people at once (their schedules must exist)."""
    now = now or timezone.now()
    clocks = {p.user_id: p for p in profiles}
    schedules = list(EmailSchedule.objects.filter(user_id__in=clocks).only(
        "pk", "user_id", "digest_hour", "digest_enabled", "drip_enabled",
    ))
    last_days = dict(
        DigestSend.objects.filter(user_id__in=clocks)
        .values("user_id").annotate(last=Max("local_date")).values_list("user_id", "last")
    )
    for email_schedule in schedules:
        profile = clocks[email_schedule.user_id]
        email_schedule.next_digest_at = next_email_at(
            now=now, tz_name=profile.timezone, digest_hour=email_schedule.digest_hour, day_start_hour=profile.day_start_hour,
            digest_enabled=email_schedule.digest_enabled, drip_enabled=email_schedule.drip_enabled,
            onboarded_at=profile.onboarding_completed_at, after=last_days.get(email_schedule.user_id),
        )
    EmailSchedule.objects.bulk_update(schedules, ["next_digest_at"], batch_size=BULK_BATCH)
    return len(schedules)
