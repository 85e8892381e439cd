"""What issue 9 promised people: always five true recommendations, no contradictions, flagged means gone, words not decimals."""

import datetime as dt
import re
from collections import Counter

import numpy as np
import pytest

from coaching.analysis import ACTIVATION_DAY
from coaching.analysis.recommend import fits_chronotype
from coaching.models import AnalysisRun, CoachingInsight, ReviewStatus
from coaching.selectors import digest_tips
from coaching.services import analyse_users
from habits.export import sections
from habits.models import CheckIn
from habits.schedule import Schedule
from onboarding.services import onboarding_complete
from tests.factories import HabitFactory, ProfileFactory

from .analysis_data import at, frame, habit, rows, run
from .test_analysis_recommendations import busy_person, demo_person

UTC = dt.timezone.utc
OBSTACLES = ["forgetting", "time", "motivation", "restarting", "energy", "other"]


def assert_five_distinct(analysis, max_per_habit=None):
    recs = analysis.recommendations
    assert [r.rank for r in recs] == [1, 2, 3, 4, 5]
    assert len({r.text.split(". ")[0] for r in recs}) == 5, [r.text for r in recs]
    if max_per_habit:
        assert max(Counter(r.habit_id for r in recs if r.habit_id is not None).values()) <= max_per_habit


def no_pattern_person(seed=7):
    """Three daily habits each done on about 70% of days at scattered times: nothing to detect."""
    rng = np.random.default_rng(seed)
    checkins = frame(*(rows(h, 28, done=lambda d, i: rng.random() < 0.7, minutes=lambda d, i: rng.uniform(420, 1320))
                       for h in ("walk", "read", "floss")))
    return checkins, [habit("walk", 28, name="Walk", is_main=True), habit("read", 28, name="Read"),
                      habit("floss", 28, name="Floss")]


@pytest.mark.parametrize("obstacle", OBSTACLES)
def test_a_person_with_no_pattern_gets_five_distinct_recommendations_from_their_numbers(obstacle):
    checkins, habits = no_pattern_person()
    analysis = run(checkins, habits, obstacle=obstacle, chronotype="morning", why_now="My doctor said so",
                   success_factor="Walking 20 days out of 30")
    assert analysis.active and not [i for i in analysis.insights if i.kind not in ("strong_habit",)]
    assert_five_distinct(analysis, max_per_habit=2)
    assert all(any(ch.isdigit() for ch in r.text) or "“" in r.text for r in analysis.recommendations)


def test_a_person_with_no_answers_and_one_habit_still_gets_five_from_their_numbers():
    checkins = frame(rows("walk", 20, done=lambda d, i: i % 4 != 3, minutes=lambda d, i: 480.0))
    analysis = run(checkins, [habit("walk", 20, name="Walk")])
    assert_five_distinct(analysis)
    assert all("Walk" in r.text for r in analysis.recommendations)


def test_on_day_14_exactly_a_new_person_gets_five():
    checkins = frame(rows("run", ACTIVATION_DAY, minutes=lambda d, i: 390.0),
                     rows("read", ACTIVATION_DAY, done=lambda d, i: i % 2 == 0, minutes=lambda d, i: 1300.0))
    analysis = run(checkins, [habit("run", ACTIVATION_DAY, name="Run", is_main=True), habit("read", ACTIVATION_DAY, name="Read")],
                   obstacle="time", chronotype="morning")
    assert analysis.days_of_data == ACTIVATION_DAY and analysis.active
    assert_five_distinct(analysis, max_per_habit=2)


def three_a_week(habit_id, name):
    return habit(habit_id, 28, name=name, schedule=Schedule(times=3, days=7))


def weekly_rows(habit_id):
    """Exactly three check-ins every week (Monday to Sunday): 100% of what a 3-a-week habit asks."""
    return rows(habit_id, 28, done=lambda d, i: d.weekday() in (0, 2, 4), minutes=lambda d, i: 480.0 + 10 * i % 60)


def test_five_weekly_habits_met_in_full_are_not_overload_and_get_five_distinct_recommendations():
    names = [f"H{n}" for n in range(5)]
    checkins = frame(*(weekly_rows(n.lower()) for n in names))
    habits = [three_a_week(n.lower(), n) for n in names]
    analysis = run(checkins, habits, obstacle="time")
    assert all(h.completion_rate_30d >= 0.99 for h in analysis.habits)
    assert "overload" not in {i.kind for i in analysis.insights}
    assert not any("overall" in c or "habits at" in c for c in analysis.challenges)
    assert_five_distinct(analysis, max_per_habit=2)
    for rec in analysis.recommendations:
        paused = re.search(r"Pause (.+?) for two weeks.* into (\S+)", rec.text)
        assert paused is None or paused.group(2) not in paused.group(1)


def test_overload_never_pauses_the_habit_it_asks_you_to_put_energy_into():
    rng = np.random.default_rng(4)
    checkins = frame(*(rows(f"h{n}", 28, done=lambda d, i, n=n: rng.random() < (0.2 if n else 0.55)) for n in range(6)))
    analysis = run(checkins, [habit(f"h{n}", 28, name=f"H{n}") for n in range(6)], obstacle="time")
    for rec in analysis.recommendations:
        if paused := re.search(r"Pause (.+?) for two weeks.* into (\S+)", rec.text):
            assert paused.group(2) not in paused.group(1)


@pytest.mark.parametrize("person", [busy_person, demo_person, no_pattern_person])
@pytest.mark.parametrize("obstacle", OBSTACLES)
def test_no_habit_is_both_a_strength_and_a_challenge(person, obstacle):
    analysis = run(*person(), obstacle=obstacle, goals=("health", "sleep"))
    names = lambda lines: {line.split(":")[0].split(" on ")[0].split(",")[0] for line in lines}
    assert analysis.strengths and analysis.challenges
    assert not names(analysis.strengths) & names(analysis.challenges)


@pytest.mark.parametrize("active", [False, True])
@pytest.mark.parametrize("chronotype, planned", [("evening", at(6, 30)), ("morning", at(21)), ("morning", at(6, 30)),
                                                  ("evening", at(21))])
def test_time_of_day_advice_never_contradicts_chronotype_or_planned_time(active, chronotype, planned):
    days = 28 if active else 5
    checkins = frame(rows("main", days, minutes=lambda d, i: planned.hour * 60.0 + planned.minute))
    habits = [habit("main", days, name="Practice", is_main=True, planned_time=planned)]
    for obstacle in OBSTACLES:
        texts = [r.text for r in run(checkins, habits, obstacle=obstacle, chronotype=chronotype).recommendations]
        other = "morning" if chronotype == "evening" else "evening"
        for action in (text.split(". ")[0] for text in texts):
            assert f"in the {other}" not in action, action
            if f"in the {chronotype}" in action and "instead of" not in action:
                assert all(fits_chronotype(clock, chronotype) for clock in re.findall(r"\b\d\d:\d\d\b", action)), action


@pytest.mark.parametrize("obstacle", OBSTACLES)
@pytest.mark.parametrize("person", [busy_person, demo_person, no_pattern_person])
def test_no_advice_mentions_a_reminder(person, obstacle):
    analysis = run(*person(), obstacle=obstacle, chronotype="morning", goals=("health", "sleep", "finances"))
    assert not any("reminder" in r.text.lower() for r in analysis.recommendations)
    starter = run(frame(), [habit("x", 3, name="Stretch")], obstacle=obstacle, goals=("sleep",))
    assert not any("reminder" in r.text.lower() for r in starter.recommendations)


# --- through the database -------------------------------------------------------------------------------

def seeded_person(days=28, skip_weekday=5):
    profile = ProfileFactory(timezone="Europe/Berlin", obstacle="time", chronotype="morning")
    habit_row = HabitFactory(user=profile.user, name="Run", start_date=dt.date(2026, 2, 2), is_main=True)
    CheckIn.objects.bulk_create([
        CheckIn(user=profile.user, habit=habit_row, local_date=day, timezone="Europe/Berlin", utc_offset_minutes=60,
                completed_at=dt.datetime.combine(day, dt.time(5, 15), tzinfo=UTC))
        for day in (dt.date(2026, 2, 2) + dt.timedelta(days=n) for n in range(days)) if day.weekday() != skip_weekday
    ])
    analyse_users(user_ids=[profile.user_id], now=dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    return profile


@pytest.mark.django_db
def test_a_flagged_insight_is_gone_from_page_strengths_challenges_digest_and_export(client):
    profile = seeded_person()
    user = profile.user
    gap = CoachingInsight.objects.get(user=user, kind="weekday_gap", is_current=True)
    client.force_login(user)
    before = client.get("/coaching/").content.decode()
    assert "Saturdays" in before
    CoachingInsight.objects.filter(pk=gap.pk).update(review_status=ReviewStatus.FLAGGED)
    page = client.get("/coaching/").content.decode()
    assert "Saturdays" not in page and gap.title not in page
    assert not any("Saturday" in tip.text for tip in digest_tips([user])[user.pk])
    exported = sections(user)
    assert gap.pk not in {row["id"] for row in exported["coaching_insights"]}
    assert not any("Saturday" in row["text"] for row in exported["recommendations"])


@pytest.mark.django_db
def test_the_coaching_page_speaks_in_words_not_decimals_or_keys(client):
    profile = seeded_person()
    client.force_login(profile.user)
    page = client.get("/coaching/").content.decode()
    assert "Your top 5" in page
    assert re.search(r"very likely|likely", page)
    assert "You did it on 0 of 4 Saturdays, against" in page
    for raw in ("Weekday_rate", "weekday_rate", "Rate_before", "CONFIDENCE", "confidence 0.", "0.99", "Typical_time"):
        assert raw not in page
    assert page.count("<h3>Steady times</h3>") <= 1


@pytest.mark.django_db
def test_starter_advice_is_there_right_after_onboarding_without_the_hourly_sweep(new_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        onboarding_complete(user=new_user, answers={
            "goals": ["health", "sleep"], "main_habit": "Stretch", "main_habit_time": dt.time(6, 30), "obstacle": "forgetting",
            "why_now": "My back hurts", "timezone": "Europe/Berlin", "chronotype": "evening",
            "success_factor": "Stretching most mornings", "tone": "direct"})
    run_row = AnalysisRun.objects.get(user=new_user, is_current=True)
    texts = list(run_row.recommendations.order_by("rank").values_list("text", flat=True))
    assert not run_row.active and len(texts) == 5
    assert any("Stretch" in text for text in texts) and any("My back hurts" in text for text in texts)
    assert not any("in the evening, like 06:30" in text or "evening" in text and "06:30" in text and "instead of" not in text
                   for text in texts)


@pytest.mark.django_db
def test_changing_an_answer_refreshes_the_advice(new_user, django_capture_on_commit_callbacks):
    from onboarding.services import profile_update

    with django_capture_on_commit_callbacks(execute=True):
        profile = onboarding_complete(user=new_user, answers={
            "goals": ["health"], "main_habit": "Stretch", "obstacle": "time", "why_now": "Back pain",
            "timezone": "UTC", "chronotype": "morning", "success_factor": "Most days", "tone": "direct"})
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(profile=profile, changes={"why_now": "My daughter's wedding"})
    texts = AnalysisRun.objects.get(user=new_user, is_current=True).recommendations.values_list("text", flat=True)
    assert any("My daughter's wedding" in text for text in texts)

