"""The 30-day drip: one milestone per day 0, 3, 7, 14, 21, 30, inside the one daily email, from the person's own numbers."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client

from coaching.models import Recommendation
from digests.models import DigestSend
from digests.services import digests_sweep
from digests.tokens import unsubscribe_token
from habits.models import CheckIn
from tests.digests.conftest import add_habit, at, check_in, schedule_of, scheduled_profile
from tests.onboarding.wizard_helpers import complete_wizard

pytestmark = pytest.mark.django_db

JOINED = at("2026-06-01T09:00")           # Monday 1 June, 10:00 in London: day 0
DAY_0 = dt.date(2026, 6, 1)


def kind(message) -> str:
    return message.extra_headers["X-Cadence-Kind"]


def person(**fields):
    return scheduled_profile(now=JOINED, tz="Europe/London", hour=20, joined=JOINED, first_name="Ana", main_habit="Run",
                             goals=["health"], obstacle="forgetting", **fields)


def evening_of(day_number: int) -> dt.datetime:
    return at(f"{DAY_0 + dt.timedelta(days=day_number)}T19:00")  # 20:00 in London


def sweep_on(day_number: int) -> list:
    before = len(mail.outbox)
    digests_sweep(now=evening_of(day_number))
    return mail.outbox[before:]


def test_completing_onboarding_sends_the_welcome_at_once_and_it_is_that_days_only_email(
    client, new_user, django_capture_on_commit_callbacks
):
    client.force_login(new_user)
    with time_machine.travel(at("2026-06-01T14:00"), tick=False), django_capture_on_commit_callbacks(execute=True):
        complete_wizard(client)
    welcome = [m for m in mail.outbox if "drip-day-0" in kind(m)]
    assert len(welcome) == 1 and kind(welcome[0]) == "drip-day-0"
    text, html = welcome[0].body, welcome[0].alternatives[0][0]
    assert "Run before work" in text and "at 06:30" in text             # their main habit, in their words
    assert "health & fitness and sleep" in text                       # their goals
    assert "“My doctor told me to move more.”" in text                # why now
    assert "one email a day at 20:00" in text and "from day 14" in text
    assert "/email/preferences/" in text and "Run before work" in html
    assert welcome[0].extra_headers["List-Unsubscribe"].startswith("<http") and "drip" not in text.split("Stop")[0][-5:]

    with time_machine.travel(at("2026-06-01T14:01"), tick=False):
        preferences = client.get("/email/preferences/").content.decode()
    assert "Next one: Tuesday 2 June, 20:00." in preferences          # not day 0's 20:00, which the welcome took

    mail.outbox.clear()
    # The evening digest of day 0 does not go: the welcome was the day's one email. Day 1's does.
    assert digests_sweep(now=at("2026-06-02T01:00")).sent == 0      # 21:00 in New York on day 0
    assert mail.outbox == []
    digests_sweep(now=at("2026-06-03T01:00"))
    assert [kind(m) for m in mail.outbox] == ["digest"]


def test_day_seven_leads_that_days_digest_with_the_real_numbers():
    profile = person()
    run, read = add_habit(profile.user, "Run", start=DAY_0), add_habit(profile.user, "Read", start=DAY_0)
    for n in range(8):
        day = DAY_0 + dt.timedelta(days=n)
        if n != 3:
            check_in(run, day)
        if n in (0, 2, 4, 7):
            check_in(read, day)
    sweep_on(6)  # day 6's digest, so day 7 is the next one
    [message] = sweep_on(7)

    assert kind(message) == "digest drip-day-7"
    assert message.subject == "Week one: 9 check-ins, 64% consistent · Monday: Perfect day! 🔥"   # days 0-6: 6 + 3 of 14
    text = message.body
    check_ins = CheckIn.objects.filter(user=profile.user, local_date__lte=DAY_0 + dt.timedelta(days=6)).count()
    assert check_ins == 9
    assert f"{check_ins} check-ins in your first week, against 14 scheduled." in text
    assert "Consistency: 64%." in text                                # 9 of 14
    assert "Your best habit: Run, 6 of 7." in text
    # Monday has 2 of 2 done, but one Monday in a week cannot show it is a better day.
    assert "best day" not in text
    assert text.index("Your first week") < text.index("Monday: Perfect day!")   # the milestone leads
    assert "Stop the 30-day coaching emails" in text


def test_day_three_without_check_ins_offers_a_first_step_for_their_obstacle():
    profile = person()
    add_habit(profile.user, "Run", start=DAY_0)
    [message] = sweep_on(3)
    assert kind(message) == "digest drip-day-3"
    assert "Set a phone alarm for Run" in message.body                # they said forgetting gets in the way


def test_day_three_with_check_ins_names_the_count_and_the_habit_done_most():
    profile = person()
    run, read = add_habit(profile.user, "Run", start=DAY_0), add_habit(profile.user, "Read", start=DAY_0)
    for n in range(4):
        check_in(run, DAY_0 + dt.timedelta(days=n))
    check_in(read, DAY_0 + dt.timedelta(days=1))
    [message] = sweep_on(3)
    # the first three days are days 0, 1 and 2: the send day is still running
    assert "4 check-ins in your first three days, 3 of them for Run." in message.body
    assert "That's 4 of the 6 check-ins your habits asked for so far." in message.body


def test_people_with_the_digest_off_get_the_milestone_alone_and_nothing_else():
    profile = person(digest_enabled=False)
    add_habit(profile.user, "Run", start=DAY_0)
    assert sweep_on(1) == [] and sweep_on(2) == []
    [message] = sweep_on(3)
    assert kind(message) == "drip-day-3"
    assert "Stop the 30-day coaching emails" in message.body and "daily digest is on" not in message.body
    stop_link = next(line for line in message.body.splitlines() if line.startswith("Stop the 30-day coaching emails: "))
    one_click = next(part.strip("<> ") for part in message.extra_headers["List-Unsubscribe"].split(",") if "http" in part)
    assert stop_link.split(": ", 1)[1] == one_click and "/unsubscribe/drip" in one_click   # not the digest they turned off
    assert sweep_on(4) == []
    profile.refresh_from_db()
    assert schedule_of(profile).next_digest_at == evening_of(7)


def test_a_milestone_goes_once_however_often_the_sweep_runs():
    profile = person()
    add_habit(profile.user, "Run", start=DAY_0)
    first = sweep_on(3)
    digests_sweep(now=evening_of(3) + dt.timedelta(minutes=15))
    assert len(first) == 1 and len(mail.outbox) == 1
    assert DigestSend.objects.filter(user=profile.user, milestone=3).count() == 1


def test_a_milestone_missed_while_the_service_was_down_is_never_sent_on_another_day():
    profile = person()
    add_habit(profile.user, "Run", start=DAY_0)
    sweep_on(2)
    [message] = sweep_on(4)                                           # nothing ran on day 3
    assert kind(message) == "digest"
    assert not DigestSend.objects.filter(user=profile.user, milestone=3).exists()


def test_stopping_the_drip_leaves_the_digest_alone():
    profile = person()
    add_habit(profile.user, "Run", start=DAY_0)
    token = unsubscribe_token(user_id=profile.user_id, stream="drip")
    with time_machine.travel(evening_of(1), tick=False):
        Client(enforce_csrf_checks=True).post(f"/unsubscribe/{token}/", data="List-Unsubscribe=One-Click",
                                              content_type="application/x-www-form-urlencoded")
    profile.refresh_from_db()
    schedule = schedule_of(profile)
    assert not schedule.drip_enabled and schedule.digest_enabled
    [message] = sweep_on(3)
    assert kind(message) == "digest" and "Three days in" not in message.body


def test_day_fourteen_quotes_the_current_coaching_and_never_a_flagged_insight():
    from coaching.services import analyse_users

    profile = person()
    run = add_habit(profile.user, "Run", start=DAY_0)
    for n in range(15):
        if (DAY_0 + dt.timedelta(days=n)).weekday() != 5:             # never on Saturdays
            check_in(run, DAY_0 + dt.timedelta(days=n), time=dt.time(7, 0))
    sweep_on(13)
    analyse_users(user_ids=[profile.user_id], now=evening_of(14) - dt.timedelta(hours=2))
    [message] = sweep_on(14)
    assert kind(message) == "digest drip-day-14"
    top = list(Recommendation.objects.filter(user=profile.user, is_current=True).order_by("rank").values_list("text", flat=True))
    assert len(top) == 5
    for text in top:
        assert text in message.body
    # the day's tip would repeat one of the five: it stays out of this email
    assert "Starter tip" not in message.body and "From your patterns" not in message.body


def test_day_twenty_one_offers_a_way_back_to_someone_who_fell_off():
    profile = person()
    run = add_habit(profile.user, "Run", start=DAY_0)
    for n in range(10):
        check_in(run, DAY_0 + dt.timedelta(days=n))
    [message] = sweep_on(21)
    assert "No check-ins since Wednesday 10 June" in message.body
    assert "smallest version of Run" in message.body


def test_day_twenty_one_says_who_they_are_becoming_from_their_goal_and_numbers():
    profile = person()
    run = add_habit(profile.user, "Run", start=DAY_0)
    for n in range(22):
        if n % 7 != 6:
            check_in(run, DAY_0 + dt.timedelta(days=n))
    [message] = sweep_on(21)
    # three weeks are days 0 to 20, three of them missed (6, 13, 20)
    assert "You're becoming someone who takes care of their health: Run 18 of 21 times in three weeks." in message.body


def test_day_thirty_sums_up_the_month_with_strength_per_habit():
    profile = person()
    run = add_habit(profile.user, "Run", start=DAY_0)
    for n in range(31):
        check_in(run, DAY_0 + dt.timedelta(days=n))
    [message] = sweep_on(30)
    assert kind(message) == "digest drip-day-30"
    # days 0 to 29 are the 30 days; day 30's own check-in belongs to the day the email goes out
    assert "30 check-ins in 30 days." in message.body and "Consistency: 100% of what you planned." in message.body
    assert "Best streak: 31 days, on Run." in message.body
    assert "Run: strength " in message.body and "See your 30 days in numbers and charts: http://testserver/analytics/" in message.body


def test_week_one_names_a_best_day_only_when_it_clearly_stands_out():
    profile = person()
    habits = [add_habit(profile.user, name, start=DAY_0) for name in ("Run", "Read", "Stretch")]
    for habit in habits:
        check_in(habit, DAY_0)
        check_in(habit, DAY_0 + dt.timedelta(days=7))
    check_in(habits[0], DAY_0 + dt.timedelta(days=3))
    sweep_on(6)
    [message] = sweep_on(7)
    assert "Your best day: Monday, with 3 of 3 done." in message.body   # days 0-6: 3 of 3 on Monday, 1 of 18 other days


def test_week_one_names_no_best_day_when_no_day_stands_out():
    profile = person()
    run = add_habit(profile.user, "Run", start=DAY_0)
    for n in range(8):
        check_in(run, DAY_0 + dt.timedelta(days=n))
    sweep_on(6)
    [message] = sweep_on(7)
    assert "Consistency: 100%." in message.body and "best day" not in message.body


def test_a_drip_only_email_can_be_viewed_again_from_the_email_history(client):
    profile = person(digest_enabled=False)
    add_habit(profile.user, "Run", start=DAY_0)
    sweep_on(3)
    send = DigestSend.objects.get(user=profile.user, milestone=3)
    client.force_login(profile.user)
    page = client.get(f"/email/history/{send.pk}/")
    assert page.status_code == 200
    assert "Three days in" in page.content.decode() and "Set a phone alarm for Run" in page.content.decode()
    assert "Day 3: a first step for Run" in client.get("/email/history/").content.decode()


def test_if_the_sweep_reaches_day_zero_before_the_welcome_the_welcome_rides_in_its_email():
    from digests.delivery import drip_welcome_send

    profile = scheduled_profile(now=at("2026-06-01T18:58"), tz="Europe/London", hour=20,
                                joined=at("2026-06-01T18:58"), first_name="Ana", main_habit="Run")  # 19:58 in London
    digests_sweep(now=at("2026-06-01T19:00"))                        # the 20:00 sweep runs first
    assert drip_welcome_send(user_id=profile.user_id, now=at("2026-06-01T19:01")) is None
    assert [kind(m) for m in mail.outbox] == ["digest drip-day-0"]
    assert "Welcome to Cadence" in mail.outbox[0].body


def test_day_thirty_figures_cover_the_whole_history_not_the_digests_window():
    from habits.selectors import habit_views

    profile = person()
    run = add_habit(profile.user, "Run", start=dt.date(2025, 1, 1))   # brought in from Loop on day 0
    day = dt.date(2025, 1, 1)
    while day <= DAY_0 + dt.timedelta(days=30):
        if day != DAY_0 + dt.timedelta(days=20):                     # one miss inside the digest's window
            check_in(run, day)
        day += dt.timedelta(days=1)
    [message] = sweep_on(30)
    [view] = habit_views([run], DAY_0 + dt.timedelta(days=30), whole_history=True)
    assert f"Run: strength {view.strength} of 100" in message.body
    assert f"Best streak: {view.best_streak} days, on Run." in message.body and view.best_streak > 400


def test_day_three_with_one_habit_does_not_split_the_count_that_cannot_split():
    profile = person()
    run = add_habit(profile.user, "Run", start=DAY_0)
    for n in range(3):
        check_in(run, DAY_0 + dt.timedelta(days=n))
    [message] = sweep_on(3)
    assert "3 check-ins of Run in your first three days." in message.body
    assert "of them for" not in message.body


def test_the_welcome_names_every_goal_they_gave_their_own_words_too():
    from digests.drip import DripFacts, compose_milestone

    welcome = compose_milestone(DripFacts(milestone=0, day=DAY_0, onboarded_on=DAY_0, main_habit="Walk",
                                          goal_labels=("Health & fitness", "Sleep"), goals_other="learn to juggle"))
    assert welcome["lines"][0] == "You told us you want to work on health & fitness, sleep and “learn to juggle”, starting with “Walk”."


def test_day_thirty_emails_cost_the_same_queries_for_one_person_or_many():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def day_thirty_sweep_queries(count: int) -> int:
        DigestSend.objects.all().delete()
        for _ in range(count):
            run = add_habit(person().user, "Run", start=DAY_0)
            check_in(run, DAY_0 + dt.timedelta(days=29))
        with CaptureQueriesContext(connection) as queries:
            assert len(sweep_on(30)) >= count
        return len(queries.captured_queries)

    one = day_thirty_sweep_queries(1)
    five = day_thirty_sweep_queries(5)
    assert five - one <= 2 * 5, (one, five)   # two writes per email (hand-over, outcome), nothing per person read
