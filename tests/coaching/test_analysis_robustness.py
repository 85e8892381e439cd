"""Odd data gives a sensible, smaller analysis and never an exception."""

import json
from dataclasses import asdict
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from coaching.analysis import CheckinArrays, HabitInput, ProfileInput, analyse, analyse_arrays
from habits.schedule import Schedule

from .analysis_data import TODAY, first_day, frame, habit, rows, run


def assert_sensible(analysis):
    json.dumps(asdict(analysis))
    assert analysis.days_of_data >= 0
    assert len(analysis.recommendations) <= 5
    for summary in analysis.habits:
        assert 0 <= summary.strength <= 100
        assert summary.completion_rate_30d is None or 0 <= summary.completion_rate_30d <= 1
    for item in analysis.insights:
        assert 0 <= item.confidence <= 1
    return analysis


@pytest.mark.parametrize("checkins", [None, pd.DataFrame(columns=["habit_id", "local_date", "minutes", "value"])])
def test_no_check_ins(checkins):
    analysis = assert_sensible(analyse(checkins, [habit("run")], ProfileInput(), TODAY))
    assert analysis.active is False and analysis.days_of_data == 0 and analysis.recommendations


def test_no_habits_at_all():
    analysis = assert_sensible(analyse(None, [], ProfileInput(goals=("sleep",)), TODAY))
    assert analysis.habits == []


def test_one_habit_with_a_long_history():
    assert_sensible(run(frame(rows("run", 400)), [habit("run", 400)]))


def test_all_check_ins_on_one_day():
    checkins = frame([(name, TODAY, 600.0, np.nan) for name in "abcdefghij"])
    analysis = assert_sensible(run(checkins, [habit(name) for name in "abcdefghij"]))
    assert analysis.days_of_data == 1 and analysis.active is False


def test_habit_created_yesterday_next_to_an_old_one():
    rng = np.random.default_rng(1)
    checkins = frame(rows("old", 60, done=lambda d, i: rng.random() < 0.8), [("new", TODAY - timedelta(days=1), 500.0, np.nan)])
    analysis = assert_sensible(run(checkins, [habit("old", 60), habit("new", 2)]))
    new = next(h for h in analysis.habits if h.habit_id == "new")
    assert new.best_streak == 1
    assert not [i for i in analysis.insights if i.habit_id == "new" and i.kind != "strong_habit"]


def test_habit_starting_in_the_future():
    assert_sensible(analyse(None, [HabitInput(id=1, name="Later", start=TODAY + timedelta(days=3))], ProfileInput(), TODAY))


def test_huge_negative_and_missing_values_on_a_measurable_habit():
    values = [1e308, -1e308, np.inf, np.nan, 5.0, 1e12]
    checkins = frame(rows("water", 30, value=lambda d, i: values[i % len(values)]))
    water = habit("water", 30, kind="measurable", target=8.0)
    analysis = assert_sensible(run(checkins, [water]))
    assert analysis.habits[0].completion_rate_30d is not None


def test_at_most_target_counts_days_under_the_limit():
    checkins = frame(rows("coffee", 28, value=lambda d, i: 1.0 if i % 2 else 5.0))
    analysis = run(checkins, [habit("coffee", kind="measurable", target=2.0, target_type="at_most")])
    assert analysis.habits[0].completion_rate_30d == 0.5  # 14 of 28 days, today included as it is done


def test_minutes_outside_the_day_are_treated_as_unknown_time():
    checkins = frame(rows("run", 28, minutes=lambda d, i: [-5.0, 5000.0, np.nan][i % 3]))
    analysis = assert_sensible(run(checkins, [habit("run")], chronotype="morning"))
    assert not [i for i in analysis.insights if i.kind in ("time_anchor", "time_drift", "chronotype_mismatch")]


def test_duplicate_and_future_check_ins_are_harmless():
    base = rows("run", 28)
    checkins = frame(base, base, [("run", TODAY + timedelta(days=5), 300.0, np.nan), ("ghost", TODAY, 300.0, np.nan)])
    analysis = assert_sensible(run(checkins, [habit("run")]))
    assert analysis.habits[0].best_streak == 28


def test_datetime64_dates_and_integer_ids_work_like_dates():
    checkins = frame(rows(7, 28))
    checkins["local_date"] = pd.to_datetime(checkins["local_date"])
    analysis = assert_sensible(run(checkins, [HabitInput(id=7, name="Run", start=first_day(28))]))
    assert analysis.habits[0].current_streak == 28


def test_weekday_and_per_week_schedules_skips_and_pauses():
    mon_wed_fri = habit("gym", 56, schedule=Schedule(weekdays=frozenset({0, 2, 4})),
                        skipped=frozenset({TODAY - timedelta(days=3)}),
                        paused=((TODAY - timedelta(days=20), TODAY - timedelta(days=10)),))
    three_a_week = habit("swim", 56, schedule=Schedule(times=3, days=7), paused=((TODAY, None),))
    checkins = frame(rows("gym", 56, done=lambda d, i: d.weekday() in (0, 2)), rows("swim", 56, done=lambda d, i: i % 3 == 0))
    analysis = assert_sensible(run(checkins, [mon_wed_fri, three_a_week]))
    assert not [i for i in analysis.insights if i.habit_id == "swim" and i.kind in ("weekday_gap", "double_miss")]


def test_check_ins_across_a_dst_change_keep_their_local_minutes():
    # Local minutes are what the service stores, so a DST night changes nothing: 06:30 stays 06:30.
    spring_forward = TODAY.replace(month=3, day=30)
    checkins = frame([("run", spring_forward - timedelta(days=14 - n), 390.0, np.nan) for n in range(28)])
    analysis = run(checkins, [HabitInput(id="run", name="Run", start=spring_forward - timedelta(days=14))],
                   today=spring_forward + timedelta(days=13))
    assert next(i for i in analysis.insights if i.kind == "time_anchor").evidence["typical_time"] == "06:30"


def test_arrays_entry_point_accepts_empty_arrays():
    assert_sensible(analyse_arrays(CheckinArrays.empty(), [habit("run")], ProfileInput(), TODAY))
