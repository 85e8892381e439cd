"""The one module for day rules: periods, what a period asks for, what is due, and the clock."""

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest

from habits import days, schedule, stats
from habits.schedule import HabitHistory, Measure, Schedule

D = dt.date


def history(done=(), sched=Schedule(), start=D(2026, 3, 1), skipped=(), paused=(), amounts=None, measure=None):
    return HabitHistory(schedule=sched, start=start, done=frozenset(done), skipped=frozenset(skipped),
                        paused=tuple(paused), amounts=amounts or {}, measure=measure)


# Frequencies and labels

@pytest.mark.parametrize("sched,label,unit", [
    (Schedule(), "Every day", "day"),
    (Schedule(times=7, days=7), "Every day", "day"),
    (Schedule(times=3, days=7), "3× a week", "week"),
    (Schedule(times=1, days=7), "Once a week", "week"),
    (Schedule(times=1, days=3), "Every 3 days", "period"),
    (Schedule(times=2, days=3), "2× in 3 days", "period"),
    (Schedule(times=4, days=30), "4× a month", "month"),
    (Schedule(weekdays=frozenset({0, 2})), "Mon, Wed", "day"),
])
def test_every_frequency_loop_writes_has_a_name_and_a_period(sched, label, unit):
    assert sched.label == label
    assert sched.period_unit == unit


def test_k_in_k_days_is_daily_as_in_loop():
    assert Schedule(times=3, days=3) == Schedule()
    assert not Schedule(times=3, days=3).is_flexible


# Periods

def test_a_week_runs_monday_to_sunday():
    assert schedule.period_of(Schedule(times=3, days=7), D(2026, 3, 12), D(2026, 1, 1)) == (D(2026, 3, 9), D(2026, 3, 15))


@pytest.mark.parametrize("days_in_period", [30, 31])
def test_loops_monthly_denominators_mean_the_calendar_month(days_in_period):
    sched = Schedule(times=4, days=days_in_period)
    assert schedule.period_of(sched, D(2026, 2, 14), D(2025, 1, 5)) == (D(2026, 2, 1), D(2026, 2, 28))
    assert schedule.period_of(sched, D(2024, 2, 29), D(2023, 1, 5)) == (D(2024, 2, 1), D(2024, 2, 29))


def test_other_periods_are_blocks_counted_from_the_habits_first_day():
    every_three = Schedule(times=1, days=3)
    start = D(2026, 3, 2)
    assert schedule.period_of(every_three, D(2026, 3, 2), start) == (D(2026, 3, 2), D(2026, 3, 4))
    assert schedule.period_of(every_three, D(2026, 3, 7), start) == (D(2026, 3, 5), D(2026, 3, 7))
    assert schedule.periods(every_three, D(2026, 3, 3), D(2026, 3, 8), start) == [
        (D(2026, 3, 2), D(2026, 3, 4)), (D(2026, 3, 5), D(2026, 3, 7)), (D(2026, 3, 8), D(2026, 3, 10)),
    ]


def test_daily_and_weekday_periods_are_single_days():
    assert schedule.period_of(Schedule(weekdays=frozenset({1})), D(2026, 3, 10), D(2026, 1, 1)) == (D(2026, 3, 10), D(2026, 3, 10))


# What a period asks for

def test_excused_days_and_days_before_the_start_lower_what_a_period_asks():
    three_a_week = Schedule(times=3, days=7)
    # Week of 9-15 March; the habit starts on Friday 13th: three days remain, so 3 are still asked.
    started_friday = history(sched=three_a_week, start=D(2026, 3, 13))
    assert schedule.period_tally(started_friday, D(2026, 3, 9), D(2026, 3, 15)).needed == 3
    # Started on Saturday: only two days are left.
    started_saturday = history(sched=three_a_week, start=D(2026, 3, 14))
    assert schedule.period_tally(started_saturday, D(2026, 3, 9), D(2026, 3, 15)).needed == 2
    # Paused Monday to Friday from an earlier start: two days left.
    paused = history(sched=three_a_week, paused=[(D(2026, 3, 9), D(2026, 3, 13))])
    assert schedule.period_tally(paused, D(2026, 3, 9), D(2026, 3, 15)).needed == 2


def test_a_check_in_on_an_excused_day_still_counts():
    week = history(done={D(2026, 3, 10)}, sched=Schedule(times=1, days=7), skipped={D(2026, 3, 10)})
    assert schedule.period_tally(week, D(2026, 3, 9), D(2026, 3, 15)).met


def test_a_weekly_total_target_is_met_by_the_sum_of_the_week_as_in_loop():
    twenty_km_a_week = Measure(target=20.0)
    runs = {D(2026, 3, 9): 7.0, D(2026, 3, 11): 7.0, D(2026, 3, 14): 6.5}
    week = history(done=set(runs), sched=Schedule(times=1, days=7), amounts=runs, measure=twenty_km_a_week)
    assert schedule.period_tally(week, D(2026, 3, 9), D(2026, 3, 15)).met
    short = {day: value for day, value in runs.items() if day != D(2026, 3, 14)}
    short_week = history(done=set(short), sched=Schedule(times=1, days=7), amounts=short, measure=twenty_km_a_week)
    assert not schedule.period_tally(short_week, D(2026, 3, 9), D(2026, 3, 15)).met
    assert schedule.progress_text(week, D(2026, 3, 15)) == "20.5 of 20 this week"


def test_a_daily_value_target_is_judged_day_by_day():
    assert schedule.counts_as_done(Schedule(), Measure(5.0), 5.0)
    assert not schedule.counts_as_done(Schedule(), Measure(5.0), 4.9)
    assert schedule.counts_as_done(Schedule(), Measure(2.0, at_most=True), 0.0)
    assert not schedule.counts_as_done(Schedule(), Measure(2.0, at_most=True), 3.0)
    assert schedule.counts_as_done(Schedule(), None, None)


# Due days

def test_a_flexible_habit_stays_due_until_its_period_is_met():
    twice_a_week = history(done={D(2026, 3, 9), D(2026, 3, 10)}, sched=Schedule(times=2, days=7))
    assert schedule.is_due(twice_a_week, D(2026, 3, 10))      # its own check-in day does not count against it
    assert not schedule.is_due(twice_a_week, D(2026, 3, 11))  # met by Tuesday
    assert schedule.is_due(twice_a_week, D(2026, 3, 16))      # a new week asks again


def test_a_weekday_habit_is_due_only_on_its_days_and_never_when_excused():
    tuesdays = history(sched=Schedule(weekdays=frozenset({1})), skipped={D(2026, 3, 17)})
    assert schedule.is_due(tuesdays, D(2026, 3, 10))
    assert not schedule.is_due(tuesdays, D(2026, 3, 11))
    assert not schedule.is_due(tuesdays, D(2026, 3, 17))
    assert not schedule.is_due(tuesdays, D(2026, 2, 24))  # before the start


def test_a_period_is_out_of_reach_when_the_days_left_cannot_meet_it():
    three_a_week = history(done={D(2026, 3, 9)}, sched=Schedule(times=3, days=7))
    assert not schedule.period_out_of_reach(three_a_week, D(2026, 3, 10), today=D(2026, 3, 14))  # Sat and Sun left, 2 needed
    assert schedule.period_out_of_reach(three_a_week, D(2026, 3, 10), today=D(2026, 3, 15))      # only Sunday left


def test_monthly_streaks_count_months():
    four_a_month = Schedule(times=4, days=30)
    done = {D(2026, 1, d) for d in (3, 9, 15, 21)} | {D(2026, 2, d) for d in (2, 8, 14, 20)} | {D(2026, 3, 1)}
    figures = stats.fold(history(done=done, sched=four_a_month, start=D(2026, 1, 1)), D(2026, 3, 10))
    assert figures.current_streak == 2 and figures.best_streak == 2
    missed_february = done - {D(2026, 2, 20)}
    assert stats.fold(history(done=missed_february, sched=four_a_month, start=D(2026, 1, 1)), D(2026, 3, 10)).current_streak == 0


# The vectorised forms agree with the day-by-day rules

@pytest.mark.parametrize("sched", [Schedule(), Schedule(weekdays=frozenset({0, 3, 6})), Schedule(times=2, days=3)])
def test_scheduled_mask_agrees_with_is_scheduled(sched):
    first = D(2026, 2, 20)
    mask = schedule.scheduled_mask(sched, first.toordinal(), 40)
    assert mask.tolist() == [schedule.is_scheduled(sched, first + dt.timedelta(days=i)) for i in range(40)]


def test_excused_mask_agrees_with_is_excused():
    habit = history(skipped={D(2026, 3, 3)}, paused=[(D(2026, 3, 10), D(2026, 3, 12)), (D(2026, 3, 20), None)])
    first = D(2026, 3, 1).toordinal()
    mask = schedule.excused_mask(habit.skipped, habit.paused, first, 30)
    expected = [schedule.is_excused(habit, D.fromordinal(first + i)) for i in range(30)]
    assert mask.tolist() == expected and np.count_nonzero(mask) == 1 + 3 + 11


# The clock: local days and wall-clock instants across DST, half-hour zones and the day-start hour

def test_a_wall_clock_time_in_the_spring_gap_resolves_to_the_moment_clocks_jump():
    instant = days.local_instant(D(2026, 3, 29), dt.time(1, 30), "Europe/London")
    assert instant == dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)
    assert days.local_day(instant, "Europe/London") == D(2026, 3, 29)


def test_a_repeated_autumn_time_resolves_to_its_first_occurrence():
    instant = days.local_instant(D(2026, 10, 25), dt.time(1, 30), "Europe/London")
    assert instant == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)


def test_times_before_the_day_start_hour_belong_to_the_night_after():
    late = days.local_instant(D(2026, 3, 14), dt.time(1, 15), "Asia/Kolkata", day_start_hour=4)
    assert late == dt.datetime(2026, 3, 14, 19, 45, tzinfo=dt.UTC)  # 01:15 on the 15th, India is UTC+05:30
    assert days.local_day(late, "Asia/Kolkata", day_start_hour=4) == D(2026, 3, 14)


def test_day_bounds_in_a_half_hour_zone_across_its_dst_change():
    # Adelaide (UTC+10:30 in summer, +09:30 in winter) leaves DST on 5 April 2026.
    start, end = days.day_bounds(D(2026, 4, 5), "Australia/Adelaide")
    assert start == dt.datetime(2026, 4, 4, 13, 30, tzinfo=dt.UTC)   # midnight at +10:30
    assert end == dt.datetime(2026, 4, 5, 14, 30, tzinfo=dt.UTC)     # midnight at +09:30: a 25-hour day
    late_start, _ = days.day_bounds(D(2026, 4, 5), "Australia/Adelaide", day_start_hour=3)
    assert late_start == dt.datetime(2026, 4, 4, 17, 30, tzinfo=dt.UTC)  # 03:00 comes after the change
    assert days.local_noon(D(2026, 4, 5), "Australia/Adelaide") == dt.datetime(2026, 4, 5, 2, 30, tzinfo=dt.UTC)


def test_weekly_periods_follow_local_days_not_utc_days():
    # Sunday 23:30 in Adelaide is still Sunday there although it is Sunday 13:00 UTC... and Monday in Auckland.
    instant = dt.datetime(2026, 6, 14, 14, 0, tzinfo=dt.UTC)
    adelaide_day = days.local_day(instant, "Australia/Adelaide")
    auckland_day = days.local_day(instant, "Pacific/Auckland")
    week = Schedule(times=3, days=7)
    assert schedule.period_of(week, adelaide_day, D(2026, 1, 1)) == (D(2026, 6, 8), D(2026, 6, 14))
    assert schedule.period_of(week, auckland_day, D(2026, 1, 1)) == (D(2026, 6, 15), D(2026, 6, 21))


def test_no_app_reads_a_naive_clock():
    """`date.today()` and naive `datetime.now()` ignore the person's zone: every app asks habits.days."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for app in ("habits", "coaching", "digests", "onboarding", "config"):
        for path in (root / app).rglob("*.py"):
            text = path.read_text()
            if re.search(r"\bdate\.today\(\)|datetime\.now\(\)|datetime\.utcnow\(\)", text):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
