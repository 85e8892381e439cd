import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.analysis import PATTERN_KINDS
from coaching.models import AnalysisRun, CoachingInsight, CoachingState, Recommendation
from coaching.services import analyse_due_users, analyse_users, coaching_state_ensure
from habits.models import CheckIn
from tests.factories import HabitFactory, ProfileFactory

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc


def person_with_history(first_day, days, tz="Europe/London", skip_weekday=None, rate_every=1):
    profile = ProfileFactory(timezone=tz, obstacle="forgetting")
    habit = HabitFactory(user=profile.user, name="Run", start_date=first_day, is_main=True)
    rows = []
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        if day.weekday() == skip_weekday or offset % rate_every:
            continue
        rows.append(CheckIn(user=profile.user, habit=habit, local_date=day, timezone=tz, utc_offset_minutes=0,
                            completed_at=dt.datetime.combine(day, dt.time(6, 15), tzinfo=UTC)))
    CheckIn.objects.bulk_create(rows)
    return profile, habit


def test_before_day_14_the_engine_gives_starter_advice_and_comes_back_on_day_14():
    first_day = dt.date(2026, 3, 1)
    profile, _ = person_with_history(first_day, 13)
    now = dt.datetime(2026, 3, 13, 20, 0, tzinfo=UTC)
    coaching_state_ensure(user_ids=[profile.user_id], now=now)
    analyse_due_users(now=now)
    run = AnalysisRun.objects.get(user=profile.user)
    assert not run.active
    assert not run.insights.filter(kind__in=PATTERN_KINDS).exists()
    assert run.recommendations.exists()
    state = CoachingState.objects.get(user=profile.user)
    assert state.next_analysis_at == dt.datetime(2026, 3, 14, 0, 0, tzinfo=UTC)

    CheckIn.objects.create(user=profile.user, habit=profile.user.habits.get(), local_date=dt.date(2026, 3, 14),
                           timezone="Europe/London", utc_offset_minutes=0,
                           completed_at=dt.datetime(2026, 3, 14, 6, 15, tzinfo=UTC))
    assert analyse_due_users(now=dt.datetime(2026, 3, 14, 0, 30, tzinfo=UTC)) == 1
    current = AnalysisRun.objects.get(user=profile.user, is_current=True)
    assert current.active and current.days_of_data == 14
    assert AnalysisRun.objects.filter(user=profile.user).count() == 2
    assert CoachingState.objects.get(user=profile.user).next_analysis_at == dt.datetime(2026, 3, 21, 0, 30, tzinfo=UTC)


def test_planted_weekday_gap_becomes_a_stored_insight_and_a_specific_recommendation():
    profile, habit = person_with_history(dt.date(2026, 2, 2), 28, skip_weekday=5)
    analyse_users(user_ids=[profile.user_id], now=dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    insight = CoachingInsight.objects.get(user=profile.user, kind="weekday_gap")
    assert insight.habit == habit and insight.evidence["weekdays"] == ["Sat"]
    texts = list(Recommendation.objects.filter(user=profile.user, is_current=True).values_list("text", flat=True))
    assert any("Saturday" in text and "Run" in text for text in texts)
    recommendation = next(r for r in Recommendation.objects.filter(user=profile.user) if "weekday_gap" in r.based_on)
    assert insight in recommendation.insights.all()


def test_reanalysis_keeps_history_and_only_one_current_result():
    profile, _ = person_with_history(dt.date(2026, 2, 2), 28)
    analyse_users(user_ids=[profile.user_id], now=dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    analyse_users(user_ids=[profile.user_id], now=dt.datetime(2026, 3, 9, 12, 0, tzinfo=UTC))
    assert AnalysisRun.objects.filter(user=profile.user).count() == 2
    assert AnalysisRun.objects.filter(user=profile.user, is_current=True).count() == 1
    assert not CoachingInsight.objects.filter(user=profile.user, is_current=True, run__is_current=False).exists()


def test_person_without_any_check_ins_gets_starter_advice_not_patterns():
    profile = ProfileFactory()
    analyse_users(user_ids=[profile.user_id], now=dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    run = AnalysisRun.objects.get(user=profile.user)
    assert not run.active and run.days_of_data == 0
    assert not run.insights.filter(kind__in=PATTERN_KINDS).exists()


def test_sweep_reads_only_due_people():
    now = dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    due, _ = person_with_history(dt.date(2026, 2, 2), 28)
    coaching_state_ensure(user_ids=[due.user_id], now=now)
    for _ in range(30):
        idle, _ = person_with_history(dt.date(2026, 2, 2), 28)
        CoachingState.objects.create(user=idle.user, next_analysis_at=now + dt.timedelta(days=3))
    with CaptureQueriesContext(connection) as queries:
        assert analyse_due_users(now=now) == 1
    assert AnalysisRun.objects.count() == 1
    few = len(queries)
    for _ in range(30):
        other, _ = person_with_history(dt.date(2026, 2, 2), 28)
        CoachingState.objects.create(user=other.user, next_analysis_at=now)
    with CaptureQueriesContext(connection) as queries:
        assert analyse_due_users(now=now) == 30
    assert len(queries) <= 30 * (few - 6) + 10


def test_a_habit_name_as_long_as_habits_allow_is_stored_with_its_insights():
    from habits.models import NAME_MAX_LENGTH

    first_day = dt.date(2026, 3, 1)
    profile, habit = person_with_history(first_day, 35, skip_weekday=5)
    habit.name = "R" * NAME_MAX_LENGTH
    habit.save(update_fields=["name"])
    now = dt.datetime(2026, 4, 5, 20, 0, tzinfo=UTC)
    analyse_users(user_ids=[profile.user_id], now=now)
    stored = CoachingInsight.objects.filter(user=profile.user, habit=habit)
    assert stored.exists()
    assert all(insight.habit_name == habit.name for insight in stored)
    assert Recommendation.objects.filter(user=profile.user, habit_name=habit.name).exists()
