"""Planted patterns are found with the numbers that describe them; steady people hear nothing."""

import datetime as dt

import numpy as np
import pytest

from coaching.analysis import PATTERN_KINDS

from .analysis_data import at, first_day, found, frame, habit, insight, rows, run


def test_weekday_gap_found_when_every_saturday_is_missed():
    rng = np.random.default_rng(1)
    checkins = frame(rows("run", 56, done=lambda day, i: day.weekday() != 5 and rng.random() < 0.92))
    analysis = run(checkins, [habit("run", 56)])
    gap = insight(analysis, "weekday_gap")
    assert gap.habit_id == "run"
    assert gap.evidence["weekdays"] == ["Sat"]
    assert gap.evidence["weekday_rate"] == 0
    assert gap.evidence["other_rate"] > 0.85
    assert "Saturdays" in gap.title


def test_weekend_gap_reported_as_the_weekend_pair():
    checkins = frame(rows("read", 56, done=lambda day, i: day.weekday() < 5))
    gap = insight(run(checkins, [habit("read", 56)]), "weekday_gap")
    assert gap.evidence["weekdays"] == ["Sat", "Sun"]


def test_missed_weekend_is_not_read_as_never_miss_twice():
    checkins = frame(rows("read", 84, done=lambda day, i: day.weekday() < 5))
    assert "double_miss" not in {kind for _, kind in found(run(checkins, [habit("read", 84)]))}


def test_time_anchor_found_for_a_habit_done_at_the_same_time():
    rng = np.random.default_rng(2)
    checkins = frame(rows("run", 28, done=lambda d, i: rng.random() < 0.85, minutes=lambda d, i: 375 + rng.normal(0, 12)))
    anchor = insight(run(checkins, [habit("run")]), "time_anchor")
    assert anchor.evidence["typical_time"] == "06:15"
    assert anchor.evidence["spread_minutes"] <= 20


def test_time_anchor_near_midnight_wraps_round_the_clock():
    rng = np.random.default_rng(3)
    checkins = frame(rows("journal", 28, minutes=lambda d, i: (1435 + rng.normal(0, 10)) % 1440))
    anchor = insight(run(checkins, [habit("journal")]), "time_anchor")
    assert anchor.evidence["typical_time"] in ("23:50", "23:55", "00:00")
    assert anchor.evidence["spread_minutes"] <= 20


def test_time_drift_found_when_check_ins_move_later_every_week():
    rng = np.random.default_rng(4)
    checkins = frame(rows("read", 28, minutes=lambda d, i: 9 * 60 + 9 * i + rng.normal(0, 15)))
    analysis = run(checkins, [habit("read")])
    drift = insight(analysis, "time_drift")
    assert 50 <= drift.evidence["minutes_per_week"] <= 75
    assert "later" in drift.title
    assert "time_anchor" not in {kind for _, kind in found(analysis)}


def test_declining_trend_found_when_completion_drops_halfway():
    rng = np.random.default_rng(5)
    checkins = frame(rows("gym", 28, done=lambda d, i: rng.random() < (0.95 if i < 14 else 0.1)))
    trend = insight(run(checkins, [habit("gym")]), "declining_trend")
    assert trend.evidence["rate_before"] > 0.8 > 0.3 > trend.evidence["rate_after"]


def test_improving_trend_found_when_completion_rises_halfway():
    rng = np.random.default_rng(6)
    checkins = frame(rows("gym", 28, done=lambda d, i: rng.random() < (0.1 if i < 14 else 0.95)))
    assert ("gym", "improving_trend") in found(run(checkins, [habit("gym")]))


def test_double_miss_found_when_one_miss_usually_leads_to_another():
    rng = np.random.default_rng(7)
    missed, pattern = False, []
    for _ in range(70):
        missed = rng.random() < (0.75 if missed else 0.1)
        pattern.append(not missed)
    checkins = frame(rows("write", 70, done=lambda d, i: pattern[i]))
    double = insight(run(checkins, [habit("write", 70)]), "double_miss")
    assert double.evidence["p_miss_after_miss"] >= 0.5 > double.evidence["p_miss"]


def test_chronotype_mismatch_for_a_morning_person_who_checks_in_at_night():
    rng = np.random.default_rng(8)
    checkins = frame(
        rows("read", 28, minutes=lambda d, i: rng.uniform(19 * 60, 23 * 60)),
        rows("stretch", 28, minutes=lambda d, i: rng.uniform(19 * 60, 23 * 60)),
    )
    analysis = run(checkins, [habit("read"), habit("stretch")], chronotype="morning")
    mismatch = insight(analysis, "chronotype_mismatch")
    assert mismatch.habit_id is None
    assert mismatch.evidence["chronotype"] == "morning"
    assert mismatch.evidence["share_other_end"] == 1.0
    assert "chronotype_mismatch" not in {kind for _, kind in found(run(checkins, [habit("read"), habit("stretch")],
                                                                       chronotype="evening"))}


def test_planned_time_mismatch_when_done_two_hours_after_the_plan():
    rng = np.random.default_rng(9)
    checkins = frame(rows("run", 28, minutes=lambda d, i: 9 * 60 + rng.normal(0, 15)))
    mismatch = insight(run(checkins, [habit("run", planned_time=at(7))]), "planned_time_mismatch")
    assert mismatch.evidence["planned_time"] == "07:00"
    assert mismatch.evidence["typical_time"] == "09:00"
    assert mismatch.evidence["difference_minutes"] == pytest.approx(120, abs=10)


def test_planned_time_within_ninety_minutes_is_not_a_mismatch():
    rng = np.random.default_rng(10)
    checkins = frame(rows("run", 28, minutes=lambda d, i: 8 * 60 + rng.normal(0, 15)))
    assert "planned_time_mismatch" not in {k for _, k in found(run(checkins, [habit("run", planned_time=at(7))]))}


def test_main_habit_lagging_behind_the_others():
    rng = np.random.default_rng(11)
    checkins = frame(
        rows("main", 28, done=lambda d, i: rng.random() < 0.25),
        rows("walk", 28, done=lambda d, i: rng.random() < 0.9),
        rows("read", 28, done=lambda d, i: rng.random() < 0.9),
    )
    analysis = run(checkins, [habit("main", is_main=True), habit("walk"), habit("read")])
    lagging = insight(analysis, "main_habit_lagging")
    assert lagging.habit_id == "main"
    assert lagging.evidence["others_rate"] - lagging.evidence["main_rate"] > 0.4


def test_strong_and_struggling_habits_described_by_their_numbers():
    rng = np.random.default_rng(12)
    checkins = frame(
        rows("floss", 90, done=lambda d, i: rng.random() < 0.97),
        rows("piano", 90, done=lambda d, i: rng.random() < 0.2),
    )
    analysis = run(checkins, [habit("floss", 90), habit("piano", 90)])
    assert insight(analysis, "strong_habit").evidence["strength"] >= 80
    struggling = insight(analysis, "struggling_habit")
    assert struggling.habit_id == "piano" and struggling.evidence["completion_rate_30d"] < 0.4


def test_overload_when_many_habits_are_mostly_missed():
    rng = np.random.default_rng(13)
    names = ["a", "b", "c", "d", "e", "f"]
    checkins = frame(*(rows(name, 28, done=lambda d, i: rng.random() < 0.3) for name in names))
    overload = insight(run(checkins, [habit(name) for name in names]), "overload")
    assert overload.evidence["habit_count"] == 6 and overload.evidence["overall_rate"] < 0.5


def test_goal_gap_uses_the_area_then_keywords_in_the_habit_name():
    habits = [habit("r", name="Morning run"), habit("m", name="Ten quiet minutes", area="mindfulness")]
    analysis = run(frame(rows("r", 28), rows("m", 28)), habits, goals=("health", "mindfulness", "finances"))
    gaps = [i.evidence["goal"] for i in analysis.insights if i.kind == "goal_gap"]
    assert gaps == ["finances"]


@pytest.mark.parametrize("seed", range(12))
def test_steady_person_with_times_all_over_the_day_gets_no_pattern_insight(seed):
    rng = np.random.default_rng(100 + seed)
    p = rng.uniform(0.5, 0.9)
    names = ["walk", "read", "meditate"]
    checkins = frame(*(rows(name, 28, done=lambda d, i: rng.random() < p,
                            minutes=lambda d, i: rng.uniform(6 * 60, 23 * 60)) for name in names))
    habits = [habit(name, planned_time=at(8)) for name in names]
    analysis = run(checkins, habits, chronotype=("morning", "evening", "intermediate")[seed % 3])
    assert analysis.active
    assert not {kind for _, kind in found(analysis)} & PATTERN_KINDS


def test_every_insight_names_its_habit_and_quotes_json_safe_evidence():
    import json

    rng = np.random.default_rng(14)
    checkins = frame(rows("run", 56, done=lambda day, i: day.weekday() != 5 and rng.random() < 0.9,
                          minutes=lambda d, i: 375 + rng.normal(0, 10)))
    analysis = run(checkins, [habit("run", 56, name="Run", planned_time=at(9))], tone="gentle")
    assert analysis.insights
    for item in analysis.insights:
        json.dumps(item.evidence)
        assert 0 <= item.confidence <= 1
        assert "Run" in item.title + item.body


def test_a_weekday_missed_by_chance_in_a_habit_done_two_days_in_three_is_not_a_gap():
    rng = np.random.default_rng(15)
    checkins = frame(rows("walk", 28, done=lambda day, i: day.weekday() != 2 and rng.random() < 0.7))
    assert "weekday_gap" not in {kind for _, kind in found(run(checkins, [habit("walk")]))}


def test_decline_into_a_run_of_misses_is_still_a_trend():
    checkins = frame(rows("gym", 28, done=lambda d, i: (i < 14 and i != 5) or i in (18, 24)))
    trend = insight(run(checkins, [habit("gym")]), "declining_trend")
    assert trend.evidence["rate_before"] > 0.9 and trend.evidence["rate_after"] < 0.25


# Weekday sets, change points, weekday-scheduled, weekly and measurable habits

def test_a_habit_never_done_on_tuesdays_and_thursdays_is_one_gap_over_both_days():
    rng = np.random.default_rng(21)
    checkins = frame(rows("run", 28, done=lambda day, i: day.weekday() not in (1, 3) and rng.random() < 0.9))
    gap = insight(run(checkins, [habit("run", 28)]), "weekday_gap")
    assert gap.evidence["weekdays"] == ["Tue", "Thu"]
    assert gap.evidence["weekday_done"] == 0 and gap.evidence["weekday_days"] == 8
    assert gap.evidence["other_done"] >= 15 and gap.evidence["other_days"] == 20


def test_three_weekdays_apart_are_found_together():
    rng = np.random.default_rng(22)
    checkins = frame(rows("read", 56, done=lambda day, i: day.weekday() not in (0, 3, 5) and rng.random() < 0.92))
    gap = insight(run(checkins, [habit("read", 56)]), "weekday_gap")
    assert gap.evidence["weekdays"] == ["Mon", "Thu", "Sat"]


def test_a_good_day_never_rides_along_with_a_gap():
    rng = np.random.default_rng(23)
    checkins = frame(rows("run", 56, done=lambda day, i: day.weekday() != 2 and rng.random() < 0.9))
    assert insight(run(checkins, [habit("run", 56)]), "weekday_gap").evidence["weekdays"] == ["Wed"]


def test_a_gap_among_the_scheduled_days_of_a_weekday_habit():
    from habits.schedule import Schedule

    weekdays = Schedule(weekdays=frozenset({0, 1, 2, 3, 4}))
    checkins = frame(rows("gym", 56, done=lambda day, i: day.weekday() in (0, 1, 3, 4)))
    gap = insight(run(checkins, [habit("gym", 56, schedule=weekdays)]), "weekday_gap")
    assert gap.evidence["weekdays"] == ["Wed"]
    assert gap.evidence["other_days"] == 32  # Mon, Tue, Thu, Fri only: the weekend is not a gap, it is not scheduled


@pytest.mark.parametrize("change", [12, 21, 30])
def test_a_decline_is_found_whichever_day_it_starts(change):
    checkins = frame(rows("gym", 42, done=lambda d, i: (i % 10 != 3) if i < change else (i % 5 == 2)))
    trend = insight(run(checkins, [habit("gym", 42)]), "declining_trend")
    changed_on = first_day(42) + dt.timedelta(days=change)
    assert abs((dt.date.fromisoformat(trend.evidence["changed_on"]) - changed_on).days) <= 2
    assert trend.evidence["rate_before"] >= 0.8 and trend.evidence["rate_after"] <= 0.25


def test_a_measurable_habit_declines_when_its_values_fall_below_target():
    checkins = frame(rows("steps", 28, done=lambda d, i: True,
                          value=lambda d, i: 9000.0 if i < 14 and i != 4 else (9500.0 if i in (17, 23) else 3000.0)))
    habits = [habit("steps", 28, kind="measurable", target=8000.0)]
    assert ("steps", "declining_trend") in found(run(checkins, habits))


def test_weekly_habits_met_every_week_are_not_an_overload():
    from habits.schedule import Schedule

    three_a_week = Schedule(times=3, days=7)
    habits = [habit(f"h{n}", 28, schedule=three_a_week) for n in range(5)]
    checkins = frame(*(rows(f"h{n}", 28, done=lambda d, i, n=n: d.weekday() in ((n % 4), (n % 4) + 2, 6)) for n in range(5)))
    analysis = run(checkins, habits)
    assert "overload" not in {kind for _, kind in found(analysis)}
    assert all(summary.completion_rate_30d == 1 for summary in analysis.habits)


def test_weekly_habits_mostly_missed_are_an_overload():
    from habits.schedule import Schedule

    three_a_week = Schedule(times=3, days=7)
    habits = [habit(f"h{n}", 28, schedule=three_a_week) for n in range(5)]
    checkins = frame(*(rows(f"h{n}", 28, done=lambda d, i: d.weekday() == 6 and i % 14 < 7) for n in range(5)))
    assert (None, "overload") in found(run(checkins, habits))
