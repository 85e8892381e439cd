"""The pure schedule: when each digest is due, across DST, odd offsets and downtime."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from digests.schedule import covered_day, digest_instant, is_morning_digest, next_digest_at, plan_due_digest
from habits.days import local_day

UTC = dt.UTC
ZONES = ["America/New_York", "Europe/London", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe", "Australia/Sydney"]


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def wall(instant, tz):
    return instant.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def test_spring_forward_nonexistent_hour_is_due_at_the_first_instant_after_it():
    # New York skips 02:00-03:00 on 8 March 2026: 02:00 becomes 03:00 EDT (07:00 UTC).
    assert digest_instant(dt.date(2026, 3, 8), "America/New_York", 2) == at("2026-03-08T07:00")
    # Lord Howe skips half an hour (02:00 -> 02:30) on 4 October 2026.
    assert wall(digest_instant(dt.date(2026, 10, 4), "Australia/Lord_Howe", 2), "Australia/Lord_Howe") == dt.datetime(2026, 10, 4, 2, 30)


def test_fall_back_repeated_hour_is_due_once_at_its_first_occurrence():
    # 01:00 happens twice in New York on 1 November 2026; the first is 05:00 UTC (EDT).
    first = digest_instant(dt.date(2026, 11, 1), "America/New_York", 1)
    assert first == at("2026-11-01T05:00")
    following = next_digest_at(now=first, tz_name="America/New_York", digest_hour=1, after=dt.date(2026, 11, 1))
    assert following == at("2026-11-02T06:00")


@pytest.mark.parametrize("tz, expected", [("Asia/Kolkata", "2026-06-01T14:30"), ("Asia/Kathmandu", "2026-06-01T14:15")])
def test_half_and_quarter_hour_zones(tz, expected):
    assert digest_instant(dt.date(2026, 6, 1), tz, 20) == at(expected)


def test_hours_before_day_start_belong_to_the_night_after():
    # Day starts at 03:00; a 01:00 digest closes the day that began the previous morning.
    instant = digest_instant(dt.date(2026, 6, 1), "Europe/London", 1, day_start_hour=3)
    assert wall(instant, "Europe/London") == dt.datetime(2026, 6, 2, 1, 0)
    assert local_day(instant, "Europe/London", 3) == dt.date(2026, 6, 1)
    assert not is_morning_digest(1, 3) and covered_day(dt.date(2026, 6, 1), 1, 3) == dt.date(2026, 6, 1)


def test_morning_digest_covers_yesterday_and_evening_digest_covers_today():
    assert covered_day(dt.date(2026, 6, 2), 7) == dt.date(2026, 6, 1)
    assert covered_day(dt.date(2026, 6, 2), 20) == dt.date(2026, 6, 2)


def test_next_digest_never_lands_on_a_day_that_already_had_one():
    # Sent at 08:00 today; moving the hour to 21:00 at noon waits for tomorrow.
    now = at("2026-06-01T11:00")
    assert next_digest_at(now=now, tz_name="Europe/London", digest_hour=21, after=dt.date(2026, 6, 1)) == at("2026-06-02T20:00")
    assert next_digest_at(now=now, tz_name="Europe/London", digest_hour=21) == at("2026-06-01T20:00")


def test_catch_up_sends_todays_digest_late_while_the_day_lasts():
    plan = plan_due_digest(due_at=at("2026-06-01T19:00"), now=at("2026-06-01T22:30"), tz_name="Europe/London", digest_hour=20)
    assert plan.send_day == dt.date(2026, 6, 1) and plan.skipped_day is None
    assert plan.next_at == at("2026-06-02T19:00")


def test_catch_up_after_long_downtime_skips_the_old_day_and_resumes_from_now():
    plan = plan_due_digest(due_at=at("2026-06-01T19:00"), now=at("2026-06-09T21:00"), tz_name="Europe/London", digest_hour=20)
    assert plan.skipped_day == dt.date(2026, 6, 1)
    assert plan.send_day == dt.date(2026, 6, 9)
    assert plan.next_at == at("2026-06-10T19:00")


def test_catch_up_before_todays_hour_skips_and_waits_for_today():
    plan = plan_due_digest(due_at=at("2026-06-01T19:00"), now=at("2026-06-03T08:00"), tz_name="Europe/London", digest_hour=20)
    assert plan.skipped_day == dt.date(2026, 6, 1) and plan.send_day is None
    assert plan.next_at == at("2026-06-03T19:00")


def simulate_year(tz, hour, day_start, sweep_every=dt.timedelta(hours=1)):
    """Sweep every `sweep_every` for a year; returns {local day: sent at}."""
    start = at("2026-01-01T00:00")
    end = start + dt.timedelta(days=365)
    next_at = next_digest_at(now=start, tz_name=tz, digest_hour=hour, day_start_hour=day_start)
    sent = {}
    now = start
    while now < end:
        if next_at <= now:
            plan = plan_due_digest(due_at=next_at, now=now, tz_name=tz, digest_hour=hour, day_start_hour=day_start)
            assert plan.skipped_day is None, f"{tz} {hour}:00 skipped {plan.skipped_day} at {now}"
            if plan.send_day is not None:
                assert plan.send_day not in sent, f"{tz} {hour}:00 sent {plan.send_day} twice"
                sent[plan.send_day] = now
            next_at = plan.next_at
        now += sweep_every
    return sent


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("hour, day_start", [(0, 0), (1, 0), (2, 0), (7, 0), (20, 0), (23, 0), (1, 3), (2, 2)])
def test_hourly_sweeps_for_a_year_send_exactly_one_digest_per_local_day(tz, hour, day_start):
    interval = dt.timedelta(hours=1)
    sent = simulate_year(tz, hour, day_start, interval)
    days = sorted(sent)
    assert len(days) >= 363
    assert days == [days[0] + dt.timedelta(days=i) for i in range(len(days))], "a local day without its digest"
    for day, sent_at in sent.items():
        due = digest_instant(day, tz, hour, day_start)
        assert local_day(sent_at, tz, day_start) == day
        assert due <= sent_at < due + interval, f"{tz} {day}: due {due}, sent {sent_at}"
        calendar_day = day if hour >= day_start else day + dt.timedelta(days=1)
        assert wall(sent_at, tz) >= dt.datetime.combine(calendar_day, dt.time(hour)), "sent before the chosen hour"
