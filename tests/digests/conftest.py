import datetime as dt

from digests.scheduling import digest_schedule_update
from tests.factories import CheckInFactory, HabitFactory, ProfileFactory

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    """An aware UTC instant from 'YYYY-MM-DDTHH:MM'."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def scheduled_profile(*, now, tz="Europe/London", hour=20, day_start=0, joined=None, first_name="Sam", email=None, **fields):
    """An onboarded person whose next digest is scheduled as of `now` (past the 30-day drip unless `joined` says otherwise)."""
    user_fields = {"user__first_name": first_name}
    if email:
        user_fields["user__email"] = email
    profile = ProfileFactory(
        timezone=tz, digest_hour=hour, day_start_hour=day_start,
        onboarding_completed_at=joined or now - dt.timedelta(days=60), **user_fields, **fields,
    )
    digest_schedule_update(profile=profile, now=now)
    return profile


def add_habit(user, name="Run", start=dt.date(2026, 1, 1), **fields):
    return HabitFactory(user=user, name=name, start_date=start, **fields)


def check_in(habit, day, time=dt.time(7, 30), tz="Europe/London", **fields):
    from zoneinfo import ZoneInfo

    moment = dt.datetime.combine(day, time, tzinfo=ZoneInfo(tz))
    return CheckInFactory(habit=habit, local_date=day, completed_at=moment, timezone=tz,
                          utc_offset_minutes=int(moment.utcoffset().total_seconds() // 60), **fields)



def schedule_of(profile):
    """The person's EmailSchedule as stored now (digests keeps the email settings, not the profile)."""
    from digests.models import EmailSchedule

    return EmailSchedule.objects.get(user_id=profile.user_id)
