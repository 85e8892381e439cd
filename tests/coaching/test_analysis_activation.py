"""Coaching switches on from the 14th local day since the first check-in, with at least 7 check-ins."""

from datetime import timedelta

import numpy as np

from coaching.analysis import PATTERN_KINDS

from .analysis_data import TODAY, first_day, found, frame, habit, rows, run


def daily_since(days):
    return frame(rows("run", days, minutes=lambda d, i: 390.0)), [habit("run", days, name="Run")]


def test_day_13_is_not_active_yet():
    checkins, habits = daily_since(13)
    analysis = run(checkins, habits)
    assert analysis.days_of_data == 13
    assert analysis.active is False


def test_day_14_switches_coaching_on():
    checkins, habits = daily_since(14)
    analysis = run(checkins, habits)
    assert analysis.days_of_data == 14
    assert analysis.active is True


def test_first_check_in_day_counts_as_day_one_even_when_the_habit_is_older():
    checkins = frame([("run", TODAY - timedelta(days=13), 400.0, np.nan)] +
                     [("run", TODAY - timedelta(days=n), 400.0, np.nan) for n in range(6)])
    analysis = run(checkins, [habit("run", 60)])
    assert analysis.days_of_data == 14
    assert analysis.active is True


def test_fewer_than_seven_check_ins_keep_coaching_off():
    checkins = frame(rows("run", 30, done=lambda d, i: i % 5 == 0))
    analysis = run(checkins, [habit("run", 30)])
    assert analysis.days_of_data == 30
    assert len(checkins) == 6
    assert analysis.active is False


def test_before_activation_starter_advice_comes_from_the_answers_and_claims_no_pattern():
    checkins, habits = daily_since(10)
    analysis = run(checkins, habits, obstacle="forgetting", chronotype="morning", main_habit="Run",
                   goals=("health", "finances"))
    assert not {kind for _, kind in found(analysis)} & PATTERN_KINDS
    assert [i.kind for i in analysis.insights] == ["goal_gap"]
    texts = " ".join(r.text for r in analysis.recommendations)
    assert "forgetting" in texts and "morning person" in texts and "finances" in texts
    assert "day 10" in texts
    assert all(set(r.based_on) <= {"starter", "own_numbers", "goal_gap"} for r in analysis.recommendations)
    assert [r.rank for r in analysis.recommendations] == list(range(1, len(analysis.recommendations) + 1))
    for word in ("usually", "tend", "pattern of", "you skip", "you miss"):
        assert word not in texts.lower()


def test_starter_advice_names_the_main_habit():
    analysis = run(frame(), [habit("med", 3, name="Meditate", is_main=True)], obstacle="restarting")
    assert analysis.active is False
    assert analysis.days_of_data == 0
    assert any("Meditate" in r.text and "miss" in r.text for r in analysis.recommendations)
    assert analysis.recommendations[0].habit_name == "Meditate"


def test_summaries_are_there_before_activation_too():
    checkins, habits = daily_since(5)
    summary = run(checkins, habits).habits[0]
    assert summary.current_streak == 5 and summary.best_streak == 5 and summary.completion_rate_30d == 1.0
    assert first_day(5) == TODAY - timedelta(days=4)
