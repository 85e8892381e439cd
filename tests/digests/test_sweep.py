"""The sweep: exactly one digest per person and local day, whatever happens around it."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from digests.models import DigestSend, EmailSchedule, SendStatus
from digests.schedule import digest_instant
from digests.services import digests_sweep, email_preferences_update
from onboarding.models import CoachingProfile
from onboarding.services import profile_update
from tests.digests.conftest import add_habit, at, check_in, schedule_of, scheduled_profile
from tests.factories import EmailSuppressionFactory

pytestmark = pytest.mark.django_db


def test_due_digest_is_sent_once_and_the_schedule_moves_to_tomorrow():
    profile = scheduled_profile(now=at("2026-06-01T12:00"), tz="Europe/London", hour=20)
    assert schedule_of(profile).next_digest_at == at("2026-06-01T19:00")

    assert digests_sweep(now=at("2026-06-01T18:59")).sent == 0
    result = digests_sweep(now=at("2026-06-01T19:00"))
    again = digests_sweep(now=at("2026-06-01T19:15"))

    assert (result.sent, again.sent) == (1, 0)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [profile.user.email]
    send = DigestSend.objects.get(user=profile.user)
    assert send.status == SendStatus.SENT and send.local_date == dt.date(2026, 6, 1)
    assert send.message_id == "0" and send.subject == mail.outbox[0].subject
    profile.refresh_from_db()
    assert schedule_of(profile).next_digest_at == at("2026-06-02T19:00")


def test_a_rerun_after_the_schedule_was_reset_never_sends_the_same_day_twice():
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    digests_sweep(now=at("2026-06-01T19:00"))
    # A stale full save of the profile puts yesterday's due time back.
    EmailSchedule.objects.filter(user_id=profile.user_id).update(next_digest_at=at("2026-06-01T19:00"))

    result = digests_sweep(now=at("2026-06-01T19:30"))

    assert result.sent == 0 and len(mail.outbox) == 1
    assert DigestSend.objects.filter(user=profile.user).count() == 1
    profile.refresh_from_db()
    assert schedule_of(profile).next_digest_at == at("2026-06-02T19:00")


def test_catch_up_after_downtime_sends_only_todays_digest_and_records_the_missed_one_as_skipped():
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)

    result = digests_sweep(now=at("2026-06-05T21:00"))   # the worker was down for four days

    assert (result.sent, result.skipped) == (1, 1)
    rows = {s.local_date: s for s in DigestSend.objects.filter(user=profile.user)}
    assert rows[dt.date(2026, 6, 1)].status == SendStatus.SKIPPED and "Too late" in rows[dt.date(2026, 6, 1)].reason
    assert rows[dt.date(2026, 6, 5)].status == SendStatus.SENT
    assert len(rows) == 2 and len(mail.outbox) == 1
    profile.refresh_from_db()
    assert schedule_of(profile).next_digest_at == at("2026-06-06T19:00")
    assert digests_sweep(now=at("2026-06-05T21:15")).sent == 0


def test_catch_up_before_todays_hour_sends_nothing_until_the_hour():
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    assert digests_sweep(now=at("2026-06-03T08:00")).sent == 0
    assert digests_sweep(now=at("2026-06-03T19:00")).sent == 1
    assert [s.status for s in DigestSend.objects.filter(user=profile.user).order_by("local_date")] == ["skipped", "sent"]


def test_zone_change_mid_day_never_sends_a_second_digest_for_the_same_local_date():
    profile = scheduled_profile(now=at("2026-05-31T12:00"), tz="Asia/Tokyo", hour=8)
    digests_sweep(now=at("2026-05-31T23:00"))            # 08:00 on 1 June in Tokyo
    assert len(mail.outbox) == 1
    # Flying to New York, where it is 08:00 on 1 June again: a 09:00 digest would repeat 1 June.
    with time_machine.travel(at("2026-06-01T12:00"), tick=False):
        profile_update(profile=profile, changes={"timezone": "America/New_York"})
        email_preferences_update(profile=profile, changes={"digest_hour": 9})
    profile.refresh_from_db()
    assert schedule_of(profile).next_digest_at == at("2026-06-02T13:00")

    for hour in range(24 * 2):
        digests_sweep(now=at("2026-06-01T00:00") + dt.timedelta(hours=hour))

    days = list(DigestSend.objects.filter(user=profile.user).order_by("local_date").values_list("local_date", flat=True))
    assert days == [dt.date(2026, 6, 1), dt.date(2026, 6, 2)]
    assert len(mail.outbox) == 2


def test_hour_change_after_todays_digest_waits_for_tomorrow():
    profile = scheduled_profile(now=at("2026-06-01T00:00"), tz="Europe/London", hour=7)
    digests_sweep(now=at("2026-06-01T06:00"))
    with time_machine.travel(at("2026-06-01T11:00"), tick=False):
        email_preferences_update(profile=profile, changes={"digest_hour": 21})
    profile.refresh_from_db()
    assert schedule_of(profile).next_digest_at == at("2026-06-02T20:00")


def test_opted_out_people_get_no_digest():
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    email_preferences_update(profile=profile, changes={"digest_enabled": False})
    profile.refresh_from_db()
    assert schedule_of(profile).next_digest_at is None
    assert digests_sweep(now=at("2026-06-01T19:00")).sent == 0
    assert mail.outbox == []


def test_opting_out_after_being_scheduled_is_rechecked_at_send_time():
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    EmailSchedule.objects.filter(user_id=profile.user_id).update(digest_enabled=False)   # no signal: schedule stays
    assert digests_sweep(now=at("2026-06-01T19:00")).sent == 0
    assert mail.outbox == []


@pytest.mark.parametrize("spoil, reason", [
    (lambda p: EmailSuppressionFactory(email=p.user.email.upper()), "suppressed"),
    (lambda p: type(p.user).objects.filter(pk=p.user_id).update(is_active=False), "inactive"),
])
def test_suppressed_or_inactive_accounts_get_nothing(spoil, reason):
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    spoil(profile)
    result = digests_sweep(now=at("2026-06-01T19:00"))
    assert (result.sent, result.skipped) == (0, 1)
    assert mail.outbox == []
    assert reason in DigestSend.objects.get(user=profile.user).reason


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_unverified_addresses_get_nothing_when_verification_is_mandatory():
    from allauth.account.models import EmailAddress

    verified = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    unverified = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    EmailAddress.objects.update_or_create(user=verified.user, email=verified.user.email, defaults={"verified": True, "primary": True})
    EmailAddress.objects.update_or_create(user=unverified.user, email=unverified.user.email, defaults={"verified": False, "primary": True})

    result = digests_sweep(now=at("2026-06-01T19:00"))

    assert (result.sent, result.skipped) == (1, 1)
    assert [m.to for m in mail.outbox] == [[verified.user.email]]


def test_deleted_account_gets_nothing():
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    profile.user.delete()
    assert digests_sweep(now=at("2026-06-01T19:00")).sent == 0


def test_checking_in_sends_no_email(client):
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    habit = add_habit(profile.user)
    client.force_login(profile.user)
    response = client.post(f"/habits/{habit.pk}/check-in/")
    assert response.status_code in (200, 302)
    assert habit.check_ins.count() == 1
    assert mail.outbox == []


def sweep_queries(django_assert_max_num_queries, count, bound):
    for i in range(count):
        profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20, first_name=f"P{i}")
        for n in range(3):
            habit = add_habit(profile.user, name=f"Habit {n}")
            for day in range(1, 30, 2):
                check_in(habit, dt.date(2026, 5, day))
    with django_assert_max_num_queries(bound) as captured:
        result = digests_sweep(now=at("2026-06-01T19:00"))
    assert result.sent == count
    return len(captured)


# Fixed per sweep (claims, loader, tips, the completion heartbeat) plus two writes per digest: the hand-over,
# then the outcome.
FIXED_QUERIES = 27
QUERIES_PER_DIGEST = 2


def test_sweep_query_count_is_constant_per_digest(django_assert_max_num_queries):
    five = sweep_queries(django_assert_max_num_queries, 5, FIXED_QUERIES + 5 * QUERIES_PER_DIGEST)
    DigestSend.objects.all().delete()
    EmailSchedule.objects.update(next_digest_at=None)
    twenty = sweep_queries(django_assert_max_num_queries, 20, FIXED_QUERIES + 25 * QUERIES_PER_DIGEST)
    assert twenty - five <= 20 * QUERIES_PER_DIGEST


DST_WINDOWS = [
    ("2026-03-06T00:00", 4),   # New York springs forward on 8 March
    ("2026-03-27T00:00", 4),   # London, 29 March
    ("2026-04-03T00:00", 4),   # Sydney and Lord Howe fall back, 5 April
    ("2026-10-02T00:00", 4),   # Sydney and Lord Howe spring forward, 4 October
    ("2026-10-24T00:00", 3),   # London falls back, 25 October
    ("2026-10-31T00:00", 3),   # New York falls back, 1 November
]
ZONES = ["America/New_York", "Europe/London", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe", "Australia/Sydney"]


@pytest.mark.parametrize("start, days", DST_WINDOWS)
def test_hourly_sweeps_across_a_dst_change_send_one_digest_per_local_day(start, days):
    begin = at(start)
    profiles = [scheduled_profile(now=begin, tz=tz, hour=hour, first_name=f"{tz}-{hour}")
                for tz in ZONES for hour in (1, 2, 20)]
    for step in range(24 * days):
        digests_sweep(now=begin + dt.timedelta(hours=step))

    assert DigestSend.objects.exclude(status=SendStatus.SENT).count() == 0
    for profile in profiles:
        sends = list(DigestSend.objects.filter(user=profile.user).order_by("local_date"))
        dates = [s.local_date for s in sends]
        assert dates == [dates[0] + dt.timedelta(days=i) for i in range(len(dates))]
        assert len(dates) in (days - 1, days, days + 1)
        for send in sends:
            due = digest_instant(send.local_date, profile.timezone, schedule_of(profile).digest_hour)
            assert due <= send.sent_at < due + dt.timedelta(hours=1), (profile.timezone, schedule_of(profile).digest_hour, send.local_date)
    assert len(mail.outbox) == DigestSend.objects.count()


def test_profiles_created_in_bulk_get_their_schedule():
    from onboarding.signals import profiles_bulk_created
    from tests.factories import ProfileFactory

    on = ProfileFactory(timezone="Asia/Kolkata", digest_hour=7)
    off = ProfileFactory(digest_enabled=False, drip_enabled=False)
    drip_only = ProfileFactory(digest_enabled=False, timezone="Asia/Kolkata", digest_hour=7,
                               onboarding_completed_at=at("2026-06-01T06:00"))
    with time_machine.travel(at("2026-06-01T12:00"), tick=False):
        profiles_bulk_created.send(sender=CoachingProfile, profile_ids=[on.pk, off.pk, drip_only.pk])
    for profile in (on, off, drip_only):
        profile.refresh_from_db()
    assert schedule_of(on).next_digest_at == at("2026-06-02T01:30")
    assert schedule_of(off).next_digest_at is None
    assert schedule_of(drip_only).next_digest_at == at("2026-06-04T01:30")  # day 3 of the drip, at 07:00 in India


def test_a_profile_edit_never_overwrites_the_schedule_the_sweep_just_wrote():
    from onboarding.services import profile_update
    from tests.factories import ProfileFactory

    profile = ProfileFactory(tone="gentle")
    stale = CoachingProfile.objects.get(pk=profile.pk)           # the Profile page loaded it...
    EmailSchedule.objects.filter(user_id=profile.user_id).update(next_digest_at=at("2026-06-02T19:00"))  # ...the sweep advanced it
    profile_update(profile=stale, changes={"tone": "direct"})
    profile.refresh_from_db()
    assert profile.tone == "direct" and schedule_of(profile).next_digest_at == at("2026-06-02T19:00")
