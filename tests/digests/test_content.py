"""What the digest says, rendered for real from real check-ins."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from coaching.models import AnalysisRun, CoachingInsight, Recommendation
from coaching.selectors import Tip
from digests.content import DigestInputs, compose_digest, is_due, pick_tip
from digests.models import DigestSend
from digests.prompts import choose_prompt
from digests.services import digests_sweep
from habits import stats
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

    assert message.subject == "Perfect day! 🔥 · Mon 1 Jun"
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

    assert message.subject.startswith("1 of 3 done")
    assert "Read: Not done yet" in text
    assert "There's still time to check in today." in text


def test_zero_day_offers_a_fresh_start_with_a_seedling():
    profile = evening_profile()
    add_habit(profile.user, "Run")

    message, text, html = digest_for(profile, EVENING)

    assert message.subject.startswith("Let's get back on track 🌱")
    assert "Let&#x27;s get back on track 🌱" in html


def test_skipped_and_unscheduled_habits_do_not_count_against_the_day():
    profile = evening_profile()
    run = add_habit(profile.user, "Run")
    skipped = add_habit(profile.user, "Swim")
    add_habit(profile.user, "Gym", schedule_kind="weekdays", weekdays=[1, 3])   # Tue, Thu; 1 June is a Monday
    check_in(run, JUNE_1)
    SkipFactory(habit=skipped, local_date=JUNE_1)

    message, text, _ = digest_for(profile, EVENING)

    assert message.subject.startswith("Perfect day!")
    assert "Swim: Skipped" in text and "Gym: Not planned" in text


def test_morning_digest_covers_yesterday_and_previews_today():
    profile = morning_profile()
    run = add_habit(profile.user, "Run", planned_time=dt.time(7, 15))
    add_habit(profile.user, "Read")
    check_in(run, dt.date(2026, 5, 31), dt.time(8, 0))

    message, text, html = digest_for(profile, MORNING)

    send = DigestSend.objects.get(user=profile.user)
    assert (send.local_date, send.covered_date) == (JUNE_1, dt.date(2026, 5, 31))
    assert message.subject == "1 of 2 done · Mon 1 Jun"
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
    assert len(week) == 7 and week[0] == "Tue 26 May: missed" and week[-1] == "Mon 1 Jun: open"
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


def make_recommendations(user, texts, active):
    now = timezone.now()
    run = AnalysisRun.objects.create(user=user, generated_at=now, local_date=now.date(), active=active)
    return [
        Recommendation.objects.create(user=user, run=run, rank=rank, text=text, generated_at=now, habit_name="Run")
        for rank, text in enumerate(texts, start=1)
    ]


def test_before_day_14_the_digest_shows_a_starter_tip_and_counts_down():
    profile = evening_profile(joined=at("2026-05-27T10:00"))
    add_habit(profile.user, "Run")
    make_recommendations(profile.user, ["Put your running shoes by the door."], active=False)

    _, text, html = digest_for(profile, EVENING)

    assert "Starter tip: Tip for Run\nPut your running shoes by the door." in text
    assert "Day 6 with Cadence. From day 14 your coach starts spotting patterns" in text


def test_after_day_14_the_digest_shows_a_pattern_from_the_persons_data():
    profile = evening_profile(joined=at("2026-04-01T10:00"))
    add_habit(profile.user, "Run")
    make_recommendations(profile.user, ["You run most often before 8:00; plan it there."], active=True)

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
    return stats.HabitHistory(schedule=stats.Schedule(**schedule), start=start, done=frozenset(done))


def test_pick_tip_moves_on_and_never_repeats_a_lone_tip():
    tips = [Tip(key=k, title=k, text=k, is_pattern=True) for k in "abc"]
    assert pick_tip(tips, "").key == "a"
    assert pick_tip(tips, "a").key == "b"
    assert pick_tip(tips, "c").key == "a"
    assert pick_tip(tips[:1], "a") is None
    assert pick_tip([], "a") is None


def test_a_weekly_habit_is_due_until_its_target_is_met():
    weekly = history(done={dt.date(2026, 6, 1), dt.date(2026, 6, 2)}, kind="per_week", times_per_week=2)
    assert is_due(weekly, dt.date(2026, 6, 2))       # done that day
    assert not is_due(weekly, dt.date(2026, 6, 3))   # target met already
    assert is_due(history(kind="per_week", times_per_week=2), dt.date(2026, 6, 3))


def test_no_habits_due_is_a_rest_day():
    digest = compose_digest(DigestInputs(day=JUNE_1, covered=JUNE_1, is_morning=False))
    assert (digest["mood"], digest["headline"], digest["due_count"]) == ("rest", "A rest day", 0)


def test_consecutive_days_get_different_prompts():
    first = choose_prompt(["health"], "time", JUNE_1)
    second = choose_prompt(["health"], "time", JUNE_1 + dt.timedelta(days=1))
    assert first != second
