"""What the digest says, rendered for real from real check-ins."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from coaching.models import AnalysisRun, CoachingInsight, Recommendation
from coaching.selectors import Tip
from digests.content import (
    DigestInputs,
    HabitFacts,
    compose_digest,
    counts_toward_day,
    is_due,
    pick_tip,
)
from digests.emails import render_email
from digests.models import DigestSend
from digests.prompts import choose_prompt
from digests.services import digests_sweep
from habits import stats
from habits.schedule import HabitHistory, Schedule
from tests.digests.conftest import add_habit, at, check_in, scheduled_profile
from tests.factories import SkipFactory

pytestmark = pytest.mark.django_db

JUNE_1 = dt.date(2026, 6, 1)     # a Monday
EVENING = at("2026-06-01T19:00")  # 20:00 in London
MORNING = at("2026-06-01T06:00")  # 07:00 in London


def evening_profile(**fields):
    return scheduled_profile(now=at("2026-06-01T12:00"), tz="Europe/London", hour=20, **fields)


def morning_profile(**fields):
    return scheduled_profile(now=at("2026-05-31T12:00"), tz="Europe/London", hour=7, **fields)


def digest_for(profile, now):
    before = len(mail.outbox)
    assert digests_sweep(now=now).sent >= 1
    message = next(m for m in mail.outbox[before:] if m.to == [profile.user.email])
    return message, message.body, message.alternatives[0][0]


def test_perfect_day_says_so_with_a_flame_and_lists_times():
    profile = evening_profile()
    run, read = add_habit(profile.user, "Run"), add_habit(profile.user, "Read")
    check_in(run, JUNE_1, dt.time(7, 30))
    check_in(read, JUNE_1, dt.time(18, 5))

    message, text, html = digest_for(profile, EVENING)

    assert message.subject == "Monday: Perfect day! 🔥"
    assert "Perfect day! 🔥" in html and "2 of 2 done" in text
    assert "Run: Done at 07:30" in text and "Read: Done at 18:05" in text
    assert "Streak at risk" not in text


def test_partial_day_counts_what_was_done():
    profile = evening_profile()
    run = add_habit(profile.user, "Run")
    add_habit(profile.user, "Read")
    add_habit(profile.user, "Stretch")
    check_in(run, JUNE_1)

    message, text, html = digest_for(profile, EVENING)

    assert message.subject == "Monday: 1 of 3 done"
    assert "Read: Not done yet" in text
    assert "There's still time to check in today." in text
    assert "Good progress" not in text and "A start: every check-in makes the next one easier." in text


def test_a_day_mostly_done_is_good_progress():
    profile = evening_profile()
    run, read = add_habit(profile.user, "Run"), add_habit(profile.user, "Read")
    add_habit(profile.user, "Stretch")
    check_in(run, JUNE_1)
    check_in(read, JUNE_1)

    message, text, html = digest_for(profile, EVENING)

    assert message.subject == "Monday: 2 of 3 done"
    assert "Good progress" in text


def test_zero_day_offers_a_fresh_start_with_a_seedling():
    profile = morning_profile()
    add_habit(profile.user, "Run", start=JUNE_1 - dt.timedelta(days=3))

    message, text, html = digest_for(profile, MORNING)   # about yesterday, which is over

    assert message.subject == "Sunday: Let's get back on track 🌱"
    assert "Let&#x27;s get back on track 🌱" in html


def test_an_evening_email_with_nothing_done_yet_says_there_is_still_time_not_restart():
    profile = evening_profile()
    add_habit(profile.user, "Run")

    message, text, html = digest_for(profile, EVENING)   # 20:00: the day is still running

    assert message.subject == "Monday: Still time today ⏳"
    assert "back on track" not in text and "restart" not in text
    assert "One small check-in before the day ends is all today needs." in text


def test_skipped_and_unscheduled_habits_do_not_count_against_the_day():
    profile = evening_profile()
    run = add_habit(profile.user, "Run")
    skipped = add_habit(profile.user, "Swim")
    add_habit(profile.user, "Gym", schedule_kind="weekdays", weekdays=[1, 3])   # Tue, Thu; 1 June is a Monday
    check_in(run, JUNE_1)
    SkipFactory(habit=skipped, local_date=JUNE_1)

    message, text, _ = digest_for(profile, EVENING)

    assert message.subject == "Monday: Perfect day! 🔥"
    assert "Swim: Skipped" in text and "Gym: Not planned" in text


def test_morning_digest_covers_yesterday_and_previews_today():
    profile = morning_profile()
    run = add_habit(profile.user, "Run", planned_time=dt.time(7, 15))
    add_habit(profile.user, "Read")
    check_in(run, dt.date(2026, 5, 31), dt.time(8, 0))

    message, text, html = digest_for(profile, MORNING)

    send = DigestSend.objects.get(user=profile.user)
    assert (send.local_date, send.covered_date) == (JUNE_1, dt.date(2026, 5, 31))
    assert message.subject == "Sunday: 1 of 2 done"  # named after the day its numbers cover
    assert "Yesterday, Sunday 31 May" in text
    assert "Read: Missed" in text
    assert "Today, Monday 1 June:\n- Run at 07:15\n- Read" in text
    assert "A question for today" in text


def test_evening_digest_covers_the_day_that_is_ending():
    profile = evening_profile()
    add_habit(profile.user, "Run")
    _, text, _ = digest_for(profile, EVENING)
    assert "Today, Monday 1 June" in text and "A question for tonight" in text
    assert DigestSend.objects.get(user=profile.user).covered_date == JUNE_1


def test_values_streaks_and_the_week_strip():
    profile = evening_profile()
    water = add_habit(profile.user, "Water", kind="measurable", unit="litres", target=2)
    for offset in range(1, 6):   # 27-31 May
        check_in(water, JUNE_1 - dt.timedelta(days=offset), value=2.5)
    check_in(water, JUNE_1, dt.time(9, 45), value=1.5, note="Hot <day>")

    _, text, html = digest_for(profile, EVENING)

    assert "Water: 1.5 litres (target at least 2 litres) · 5-day streak" in text
    assert "Last 7 days: ○●●●●●○" in text
    week = re.findall(r'<td title="([^"]+)"', html)
    assert len(week) == 7 and week[0] == "Tue 26 May: missed" and week[-1] == "Mon 1 Jun: not done yet"
    assert "Streak at risk:" in text and "Check in Water before the day ends to keep your 5-day streak alive." in text


def test_a_long_streak_counts_history_beyond_the_loaded_window():
    profile = evening_profile()
    run = add_habit(profile.user, "Run", start=dt.date(2026, 2, 1))
    for offset in range(0, 120):
        check_in(run, JUNE_1 - dt.timedelta(days=offset))
    _, text, _ = digest_for(profile, EVENING)
    assert "120-day streak" in text


def test_greeting_uses_the_first_name_or_falls_back():
    named = evening_profile(first_name="  Ana  ")
    nameless = evening_profile(first_name="")
    digests_sweep(now=EVENING)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert bodies[named.user.email].startswith("Hi Ana,")
    assert bodies[nameless.user.email].startswith("Hi there,")


def test_everything_the_person_typed_is_escaped_in_html():
    profile = evening_profile(first_name="<script>alert(1)</script>")
    habit = add_habit(profile.user, '<img src=x onerror="boom">', icon="<b>")
    check_in(habit, JUNE_1, note="</td><b>loud</b>")

    _, text, html = digest_for(profile, EVENING)

    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=&quot;boom&quot;&gt;" in html
    assert "<b>" not in html and "&lt;/td&gt;&lt;b&gt;loud&lt;/b&gt;" in html
    assert "Hi <script>alert(1)</script>," in text   # plain text stays as typed


def test_email_is_multipart_narrow_dark_mode_ready_and_carries_unsubscribe_headers():
    profile = evening_profile()
    add_habit(profile.user, "Run")

    message, text, html = digest_for(profile, EVENING)

    send = DigestSend.objects.get(user=profile.user)
    assert [a[1] for a in message.alternatives] == ["text/html"]
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/unsubscribe/digest-")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message.extra_headers["List-Unsubscribe"][1:-1]
    assert unsubscribe in html and unsubscribe in text and "Unsubscribe from the daily digest" in html
    assert message.tags == ["digest"]
    assert message.metadata == {"kind": "digest", "user_id": str(profile.user_id), "send_id": str(send.pk)}
    assert message.anymail_test_params["metadata"]["send_id"] == str(send.pk)
    assert "max-width:600px" in html and 'width="600"' in html
    assert not re.search(r"width[:=]\"?(6[1-9]\d|[7-9]\d\d)", html), "nothing wider than 600px"
    assert "prefers-color-scheme: dark" in html and 'name="viewport"' in html
    assert 'href="http://testserver/today/"' in html and "Check in now: http://testserver/today/" in text
    assert f"http://testserver/email/history/{send.pk}/" in html
    assert "<img" not in html


def make_recommendations(user, texts, active, based_on=()):
    now = timezone.now()
    run = AnalysisRun.objects.create(user=user, generated_at=now, local_date=now.date(), active=active)
    return [
        Recommendation.objects.create(user=user, run=run, rank=rank, text=text, generated_at=now, habit_name="Run",
                                      based_on=list(based_on))
        for rank, text in enumerate(texts, start=1)
    ]


def test_before_day_14_the_digest_shows_a_starter_tip_and_counts_down():
    profile = evening_profile(joined=at("2026-05-27T10:00"))
    run = add_habit(profile.user, "Run")
    check_in(run, dt.date(2026, 5, 27))
    make_recommendations(profile.user, ["Put your running shoes by the door."], active=False)

    _, text, html = digest_for(profile, EVENING)

    assert "Starter tip: Tip for Run\nPut your running shoes by the door." in text
    assert "In 8 days your coach starts spotting patterns in your check-ins." in text   # day 6 of 14


def test_after_day_14_the_digest_shows_a_pattern_from_the_persons_data():
    profile = evening_profile(joined=at("2026-04-01T10:00"))
    add_habit(profile.user, "Run")
    make_recommendations(profile.user, ["You run most often before 8:00; plan it there."], active=True, based_on=["time_anchor"])

    _, text, html = digest_for(profile, EVENING)

    assert "From your patterns: Tip for Run" in text and "From your patterns" in html
    assert "From day 14" not in text


def test_tips_rotate_so_the_same_tip_never_shows_two_days_running():
    profile = evening_profile()
    add_habit(profile.user, "Run")
    recs = make_recommendations(profile.user, ["First", "Second", "Third"], active=True)
    for day in range(4):
        digests_sweep(now=EVENING + dt.timedelta(days=day))
    keys = list(DigestSend.objects.filter(user=profile.user).order_by("local_date").values_list("tip_key", flat=True))
    assert keys == [f"rec-{recs[0].pk}", f"rec-{recs[1].pk}", f"rec-{recs[2].pk}", f"rec-{recs[0].pk}"]


def test_flagged_insights_never_reach_the_digest():
    profile = evening_profile()
    add_habit(profile.user, "Run")
    (rec,) = make_recommendations(profile.user, ["Based on a wrong guess"], active=True)
    insight = CoachingInsight.objects.create(
        user=profile.user, run=rec.run, kind="time_anchor", title="t", body="b", confidence=0.9,
        generated_at=timezone.now(), review_status="flagged",
    )
    rec.insights.add(insight)
    _, text, _ = digest_for(profile, EVENING)
    assert "Based on a wrong guess" not in text


def test_reflection_prompt_follows_goals_and_obstacle_and_rotates():
    profile = evening_profile(goals=["sleep"], obstacle="forgetting")
    add_habit(profile.user, "Run")
    prompts = []
    for day in range(3):
        digests_sweep(now=EVENING + dt.timedelta(days=day))
        prompts.append(DigestSend.objects.get(user=profile.user, local_date=JUNE_1 + dt.timedelta(days=day)).content["prompt"])
    assert len({p["key"] for p in prompts}) == 3
    assert prompts[0]["key"].split("-")[0] in {"sleep", "forgetting", "general"}


# The pure core, directly

def history(done=(), start=dt.date(2026, 5, 1), **schedule):
    return HabitHistory(schedule=Schedule(**schedule), start=start, done=frozenset(done))


def test_pick_tip_moves_on_and_never_repeats_a_lone_tip():
    tips = [Tip(key=k, title=k, text=k, is_pattern=True) for k in "abc"]
    assert pick_tip(tips, "").key == "a"
    assert pick_tip(tips, "a").key == "b"
    assert pick_tip(tips, "c").key == "a"
    assert pick_tip(tips[:1], "a") is None
    assert pick_tip([], "a") is None


def test_a_weekly_habit_is_due_until_its_target_is_met():
    weekly = history(done={dt.date(2026, 6, 1), dt.date(2026, 6, 2)}, times=2, days=7)
    assert is_due(weekly, dt.date(2026, 6, 2))       # done that day
    assert not is_due(weekly, dt.date(2026, 6, 3))   # target met already
    assert is_due(history(times=2, days=7), dt.date(2026, 6, 3))


def test_no_habits_due_is_a_rest_day():
    digest = compose_digest(DigestInputs(day=JUNE_1, covered=JUNE_1, is_morning=False))
    assert (digest["mood"], digest["headline"], digest["due_count"]) == ("rest", "A rest day", 0)


def test_consecutive_days_get_different_prompts():
    first = choose_prompt(["health"], "time", JUNE_1, is_morning=False)
    second = choose_prompt(["health"], "time", JUNE_1 + dt.timedelta(days=1), is_morning=False)
    assert first != second


# Morning digests speak of yesterday and today

def render_text(digest):
    links = {name: f"http://testserver/{name}/" for name in ("today", "view", "preferences", "unsubscribe")}
    return render_email("digest", {"digest": digest, "links": links}).text


def habits_for(mood, covered):
    """Daily habits giving the covered day this mood."""
    done = {"perfect": [{covered}], "partial": [{covered}, set()], "zero": [set()], "rest": []}[mood]
    return tuple(HabitFacts(name=f"Habit {i}", history=history(done=days)) for i, days in enumerate(done))


@pytest.mark.parametrize("obstacle", ["time", "motivation", "forgetting", "energy", "restarting", "other", ""])
@pytest.mark.parametrize("tone", ["gentle", "direct"])
def test_a_morning_digest_never_uses_evening_wording(obstacle, tone):
    goals = ("health", "learning", "mindfulness", "productivity", "relationships", "creativity", "finances", "sleep")
    for n, mood in enumerate(["perfect", "partial", "zero", "rest"] * 6):   # 24 days: every prompt in the pool
        day = JUNE_1 + dt.timedelta(days=n)
        covered = day - dt.timedelta(days=1)
        digest = compose_digest(DigestInputs(
            day=day, covered=covered, is_morning=True, tone=tone, goals=goals, obstacle=obstacle,
            habits=habits_for(mood, covered),
        ))
        text = render_text(digest)
        assert digest["mood"] == mood
        assert "tomorrow" not in text.lower(), (mood, digest["intro"], digest["prompt"])
        assert not re.search(r"\btoday\b[^.?!\n]*\btomorrow\b", text, re.IGNORECASE)
        assert "-morning-" in digest["prompt"]["key"]
        assert "A question for today: " in text


def test_an_evening_digest_still_gets_evening_prompts_and_intros():
    texts = set()
    for n in range(5):
        day = JUNE_1 + dt.timedelta(days=n)
        run = HabitFacts(name="Run", history=history(done={day}))
        digest = compose_digest(DigestInputs(
            day=day, covered=day, is_morning=False, tone="direct", goals=("productivity",), obstacle="time", habits=(run,),
        ))
        assert "-morning-" not in digest["prompt"]["key"]
        assert digest["intro"] == "Everything you planned, done. Same again tomorrow."
        texts.add(digest["prompt"]["text"])
    assert "What pulled your attention away most today, and can you move it out of reach tomorrow?" in texts


def test_a_real_morning_digest_asks_about_yesterday_not_tonight():
    profile = morning_profile(goals=["productivity"], obstacle="time", tone="direct")
    run = add_habit(profile.user, "Run")
    check_in(run, dt.date(2026, 5, 31))

    _, text, html = digest_for(profile, MORNING)

    assert "Everything you planned, done. Same again today." in text
    assert "tomorrow" not in text.lower() and "tomorrow" not in html.lower()


# N-times-a-week habits: a day off is no miss while the week can still be met

def weekly_facts(done=(), times=3, **fields):
    return HabitFacts(name="Gym", history=history(done=done, times=times, days=7), **fields)


def test_a_day_off_from_a_weekly_habit_is_not_a_miss_while_the_week_can_be_met():
    tuesday = dt.date(2026, 6, 2)
    run = HabitFacts(name="Run", history=history(done={JUNE_1}))
    digest = compose_digest(DigestInputs(day=tuesday, covered=JUNE_1, is_morning=True, habits=(run, weekly_facts())))

    gym = digest["habits"][1]
    assert (digest["done_count"], digest["due_count"], digest["mood"]) == (1, 1, "perfect")
    assert gym["status"] == "0 of 3 this week" and not gym["due"]


def test_a_weekly_habit_shows_its_week_so_far_and_counts_as_today_counts_it():
    wednesday, thursday = dt.date(2026, 6, 3), dt.date(2026, 6, 4)
    # Wednesday evening, the day still running: the week still asks for it, as the Today page says
    digest = compose_digest(DigestInputs(
        day=wednesday, covered=wednesday, is_morning=False, habits=(weekly_facts(done={JUNE_1}),),
    ))
    assert digest["habits"][0]["status"] == "1 of 3 this week"
    assert (digest["due_count"], digest["mood"]) == (1, "not_yet") and digest["headline"] != "Let's get back on track"
    # Thursday morning, about Wednesday, which is over: a day off from a week that can still be met is no miss
    digest = compose_digest(DigestInputs(
        day=thursday, covered=wednesday, is_morning=True, habits=(weekly_facts(done={JUNE_1}),),
    ))
    assert digest["habits"][0]["status"] == "1 of 3 this week"
    assert (digest["due_count"], digest["mood"]) == (0, "rest")


def test_a_weekly_habit_counts_as_missed_once_its_week_can_no_longer_be_met():
    saturday, sunday, next_monday = dt.date(2026, 6, 6), dt.date(2026, 6, 7), dt.date(2026, 6, 8)
    # Five a week with one done by Saturday morning: even Saturday and Sunday cannot make it.
    digest = compose_digest(DigestInputs(
        day=sunday, covered=saturday, is_morning=True, habits=(weekly_facts(done={JUNE_1}, times=5),),
    ))
    assert digest["habits"][0]["status"] == "Missed" and digest["due_count"] == 1
    # The week is over, two of three done: Sunday counts as the miss it was.
    digest = compose_digest(DigestInputs(
        day=next_monday, covered=sunday, is_morning=True, habits=(weekly_facts(done={JUNE_1, dt.date(2026, 6, 3)}),),
    ))
    assert digest["habits"][0]["status"] == "Missed" and digest["mood"] == "zero"
    assert stats.day_state(weekly_facts(done={JUNE_1}).history, sunday, next_monday) == "missed"


def test_a_weekly_habit_whose_target_is_met_counts_only_on_days_it_was_done():
    week_done = {JUNE_1, dt.date(2026, 6, 2), dt.date(2026, 6, 3)}
    thursday = dt.date(2026, 6, 4)
    digest = compose_digest(DigestInputs(day=thursday, covered=thursday, is_morning=False, habits=(weekly_facts(done=week_done),)))
    assert digest["habits"][0]["status"] == "3 of 3 this week" and digest["due_count"] == 0
    assert counts_toward_day(weekly_facts(done=week_done).history, JUNE_1, thursday)


def test_skipped_days_lower_what_a_weekly_habit_can_still_reach():
    gym = HabitHistory(
        schedule=Schedule(times=3, days=7), start=dt.date(2026, 5, 1),
        done=frozenset({JUNE_1}), skipped=frozenset({dt.date(2026, 6, 6), dt.date(2026, 6, 7)}),
    )
    # Friday evening, one done, the weekend skipped: Friday can still bring it to two, not three.
    assert counts_toward_day(gym, dt.date(2026, 6, 5), dt.date(2026, 6, 5))
    assert not counts_toward_day(gym, dt.date(2026, 6, 4), dt.date(2026, 6, 4))


def test_a_real_morning_digest_after_a_monday_off_the_gym_does_not_say_missed():
    profile = scheduled_profile(now=at("2026-06-01T12:00"), tz="Europe/London", hour=7)
    run = add_habit(profile.user, "Run")
    add_habit(profile.user, "Gym", schedule_kind="frequency", frequency_numerator=3, frequency_denominator=7)
    check_in(run, JUNE_1)

    message, text, _ = digest_for(profile, at("2026-06-02T06:00"))

    assert "Gym: 0 of 3 this week" in text and "Missed" not in text
    assert message.subject == "Monday: Perfect day! 🔥" and "Let's get back on track" not in text


# The countdown to pattern coaching agrees with coaching

def test_no_countdown_when_any_tip_is_from_patterns():
    tips = (Tip(key="a", title="a", text="a", is_pattern=False), Tip(key="b", title="b", text="b", is_pattern=True))
    digest = compose_digest(DigestInputs(day=JUNE_1, covered=JUNE_1, is_morning=False, coaching_day=7, tips=tips))
    assert digest["patterns_line"] == ""
    assert "From day 14" not in render_text(digest)


def test_countdown_counts_days_from_the_first_check_in_and_stops_at_day_14():
    def line(day):
        return compose_digest(DigestInputs(day=JUNE_1, covered=JUNE_1, is_morning=False, coaching_day=day))["patterns_line"]

    assert line(13) == "In 1 day your coach starts spotting patterns in your check-ins."
    assert line(14) == "" and line(40) == ""
    assert line(None) and "Day" not in line(None).split(":")[0]


def test_a_pattern_tip_a_week_after_signup_shows_no_countdown():
    profile = evening_profile(joined=at("2026-05-26T10:00"))
    run = add_habit(profile.user, "Run")
    check_in(run, dt.date(2026, 5, 20))   # backfilled before signup
    make_recommendations(profile.user, ["You run most often before 8:00; plan it there."], active=True, based_on=["time_anchor"])

    _, text, html = digest_for(profile, EVENING)

    assert "From your patterns" in text
    assert "From day 14" not in text and "From day 14" not in html


def test_the_day_shown_counts_from_a_check_in_backfilled_before_signup():
    profile = evening_profile(joined=at("2026-05-30T10:00"))
    run = add_habit(profile.user, "Run", start=dt.date(2026, 5, 20))
    check_in(run, dt.date(2026, 5, 23))
    make_recommendations(profile.user, ["Put your running shoes by the door."], active=False)

    _, text, _ = digest_for(profile, EVENING)

    assert "In 4 days your coach starts spotting patterns" in text


def test_before_any_check_in_the_countdown_shows_no_day_number():
    profile = evening_profile(joined=at("2026-05-27T10:00"))
    add_habit(profile.user, "Run")

    _, text, _ = digest_for(profile, EVENING)

    assert "Your first check-in starts the count: from day 14" in text
    assert "with Cadence" not in text


def test_a_morning_digest_is_named_after_the_day_its_numbers_cover():
    profile = morning_profile()
    run = add_habit(profile.user, "Run")
    add_habit(profile.user, "Read")
    check_in(run, JUNE_1 - dt.timedelta(days=1))  # Sunday 31 May

    message, text, html = digest_for(profile, MORNING)  # Monday 1 June, 07:00: reports on Sunday

    assert message.subject == "Sunday: 1 of 2 done"
    assert text.splitlines()[2] == "Sunday: 1 of 2 done"
    assert "Sunday: 1 of 2 done" in html
    assert "Mon 1 Jun" not in message.subject


def test_the_evening_email_and_the_today_page_give_the_same_n_of_m(client):
    profile = evening_profile()
    walk = add_habit(profile.user, "Walk")
    add_habit(profile.user, "Gym", schedule_kind="frequency", frequency_numerator=3, frequency_denominator=7)
    add_habit(profile.user, "Swim", schedule_kind="frequency", frequency_numerator=2, frequency_denominator=7)
    tennis = add_habit(profile.user, "Tennis", schedule_kind="weekdays", weekdays=[2, 4])   # not on Mondays
    check_in(walk, JUNE_1)
    check_in(tennis, JUNE_1)                                   # done on a day it was not asked for

    message, text, html = digest_for(profile, EVENING)
    client.force_login(profile.user)
    with time_machine.travel(EVENING, tick=False):
        today = client.get("/today/").content.decode()

    assert message.subject == "Monday: 1 of 3 done"
    assert "1 of 3 done" in today
    assert "Gym: 0 of 3 this week" in text


def test_days_before_a_habit_started_are_not_drawn_as_misses():
    profile = evening_profile()
    walk = add_habit(profile.user, "Walk", start=JUNE_1 - dt.timedelta(days=2))   # started Saturday 30 May
    check_in(walk, JUNE_1 - dt.timedelta(days=1))

    _, text, html = digest_for(profile, EVENING)

    assert "Last 7 days: ····○●○" in text   # 26-29 May before it existed, Sat missed, Sun done, today open
    assert html.count('class="em-quiet"') == 4
    assert 'title="Wed 27 May: before you started this habit" class="em-quiet"' in html
