import datetime as dt
import math
import random

import pytest

from habits import stats
from habits.schedule import HabitHistory, Schedule

MONDAY = dt.date(2025, 3, 3)
MON_WED_FRI = Schedule(weekdays=frozenset({0, 2, 4}))
THREE_A_WEEK = Schedule(times=3, days=7)


def day(n: int) -> dt.date:
    """The n-th day after the first Monday of every test history."""
    return MONDAY + dt.timedelta(days=n)


def history(done=(), schedule=Schedule(), start=0, skipped=(), paused=()):
    return HabitHistory(
        schedule=schedule,
        start=day(start),
        done=frozenset(day(n) for n in done),
        skipped=frozenset(day(n) for n in skipped),
        paused=tuple((day(a), None if b is None else day(b)) for a, b in paused),
    )


def loop_scores(values, frequency, skipped_indexes=()):
    """Loop's Score.compute iterated by hand over the share of the target met each day."""
    multiplier = 0.5 ** (math.sqrt(frequency) / 13)
    score, scores = 0.0, []
    for index, value in enumerate(values):
        if index not in skipped_indexes:
            score = score * multiplier + value * (1 - multiplier)
        scores.append(score)
    return scores


def scores(habit, today):
    return [score for _, score in stats.strength_series(habit, today)]


# Streaks

def test_daily_streak_counts_consecutive_days_done_including_today():
    habit = history(done=range(5))
    assert stats.current_streak(habit, day(4)) == 5
    assert stats.best_streak(habit, day(4)) == 5


def test_missed_day_breaks_daily_streak():
    assert stats.current_streak(history(done=[0, 1, 3, 4]), day(4)) == 2


def test_today_not_done_yet_keeps_yesterdays_streak():
    assert stats.current_streak(history(done=range(4)), day(4)) == 4


def test_yesterday_missed_ends_streak_even_before_today_is_done():
    assert stats.current_streak(history(done=range(3)), day(4)) == 0


def test_streak_survives_unscheduled_day():
    habit = history(done=[0, 2, 4, 7], schedule=MON_WED_FRI)
    assert stats.current_streak(habit, day(8)) == 4


def test_missed_scheduled_weekday_breaks_streak():
    habit = history(done=[0, 4], schedule=MON_WED_FRI)
    assert stats.current_streak(habit, day(4)) == 1
    assert stats.best_streak(habit, day(4)) == 1


def test_skipped_day_neither_breaks_nor_extends_streak():
    assert stats.current_streak(history(done=[0, 1, 3, 4], skipped=[2]), day(4)) == 4


def test_paused_days_neither_break_nor_extend_streak():
    habit = history(done=[0, 1, 6, 7], paused=[(2, 5)])
    assert stats.current_streak(habit, day(7)) == 4


def test_open_pause_keeps_streak_until_resumed():
    habit = history(done=[0, 1, 2], paused=[(3, None)])
    assert stats.current_streak(habit, day(10)) == 3


def test_best_streak_remembers_an_earlier_longer_run():
    habit = history(done=[0, 1, 2, 3, 4, 5, 7, 8])
    assert stats.current_streak(habit, day(8)) == 2
    assert stats.best_streak(habit, day(8)) == 6


def test_per_week_streak_counts_weeks_and_running_week_does_not_break_it():
    habit = history(done=[0, 1, 2, 7, 9, 11, 14], schedule=THREE_A_WEEK)
    assert stats.current_streak(habit, day(16)) == 2


def test_per_week_streak_counts_running_week_once_target_met():
    habit = history(done=[0, 1, 2, 7, 9, 11, 14, 15, 16], schedule=THREE_A_WEEK)
    assert stats.current_streak(habit, day(16)) == 3


def test_per_week_week_below_target_breaks_streak():
    habit = history(done=[0, 1, 2, 7, 9, 14, 15, 16], schedule=THREE_A_WEEK)
    assert stats.current_streak(habit, day(21)) == 1
    assert stats.best_streak(habit, day(21)) == 1


def test_per_week_target_shrinks_to_days_left_after_skips():
    habit = history(done=[5, 6], skipped=[0, 1, 2, 3, 4], schedule=THREE_A_WEEK)
    assert stats.current_streak(habit, day(7)) == 1


def test_per_week_fully_paused_week_is_transparent():
    habit = history(done=[0, 1, 2, 14, 15, 16], paused=[(7, 13)], schedule=THREE_A_WEEK)
    assert stats.current_streak(habit, day(17)) == 2


def test_per_week_first_week_asks_only_for_days_since_start():
    habit = history(done=[6], start=6, schedule=THREE_A_WEEK)
    assert stats.current_streak(habit, day(7)) == 1


def test_best_streak_is_never_below_current_streak():
    rng = random.Random(7)
    for schedule in (Schedule(), MON_WED_FRI, THREE_A_WEEK):
        for _ in range(50):
            habit = history(
                done=[n for n in range(60) if rng.random() < 0.7],
                skipped=[n for n in range(60) if rng.random() < 0.05],
                schedule=schedule,
            )
            assert stats.best_streak(habit, day(59)) >= stats.current_streak(habit, day(59))


def test_streak_unit_names_what_a_streak_counts():
    assert stats.streak_unit(Schedule()) == "day"
    assert stats.streak_unit(MON_WED_FRI) == "time"
    assert stats.streak_unit(THREE_A_WEEK) == "week"


# Day states

def test_day_states_of_a_daily_habit():
    habit = history(done=[2, 3], start=1, skipped=[4], paused=[(5, 6)])
    today = day(8)
    states = [stats.day_state(habit, day(n), today) for n in range(10)]
    assert states == [
        "before_start", "missed", "done", "done", "skipped", "paused", "paused", "missed", "open", "future",
    ]


def test_unscheduled_days_of_a_weekday_habit_are_not_due_even_today():
    habit = history(schedule=MON_WED_FRI)
    assert stats.day_state(habit, day(1), day(2)) == "unscheduled"
    assert stats.day_state(habit, day(1), day(1)) == "unscheduled"
    assert stats.day_state(habit, day(2), day(2)) == "open"


def test_per_week_days_stay_open_until_the_week_is_decided():
    habit = history(done=[0, 1, 2, 7], schedule=THREE_A_WEEK)
    today = day(15)
    assert stats.day_state(habit, day(3), today) == "open"    # week met without it
    assert stats.day_state(habit, day(8), today) == "missed"  # week ended one short
    assert stats.day_state(habit, day(14), today) == "open"   # week still running


def test_week_strip_lists_the_last_days_oldest_first():
    strip = stats.week_strip(history(done=[5], start=3), day(6))
    assert strip == [
        (day(0), "before_start"), (day(1), "before_start"), (day(2), "before_start"),
        (day(3), "missed"), (day(4), "missed"), (day(5), "done"), (day(6), "open"),
    ]


# Completion rates

def test_completion_rate_over_7_30_and_all_days_leaves_out_excused_days():
    missed = {5, 20, 35, 36, 39} | set(range(10, 15))
    habit = history(done=[n for n in range(40) if n not in missed], skipped=[36], paused=[(10, 14)])
    today = day(39)
    assert stats.completion_rate(habit, today) == pytest.approx(30 / 33)
    assert stats.completion_rate(habit, today, 30) == pytest.approx(21 / 23)
    assert stats.completion_rate(habit, today, 7) == pytest.approx(4 / 5)


def test_completion_rate_counts_today_once_done():
    assert stats.completion_rate(history(done=[0, 1]), day(2)) == 1.0
    assert stats.completion_rate(history(done=[0, 2]), day(2)) == pytest.approx(2 / 3)


def test_completion_rate_is_none_without_scheduled_days():
    assert stats.completion_rate(history(start=2), day(2)) is None
    assert stats.completion_rate(history(schedule=MON_WED_FRI, start=1), day(1)) is None


def test_weekday_habit_completion_ignores_unscheduled_days():
    habit = history(done=[0, 1, 2, 4, 7, 9, 11], schedule=MON_WED_FRI)
    assert stats.completion_rate(habit, day(13)) == 1.0
    assert stats.completion_rate(history(done=[0, 2], schedule=MON_WED_FRI), day(6)) == pytest.approx(2 / 3)


def test_per_week_completion_is_the_share_of_weekly_targets_met():
    habit = history(done=[0, 1, 2, 7, 14], schedule=THREE_A_WEEK)
    assert stats.completion_rate(habit, day(16)) == pytest.approx(5 / 7)


def test_per_week_completion_weighs_a_week_cut_by_the_period():
    every_mon_tue_wed = history(done=[0, 1, 2, 7, 8, 9], schedule=THREE_A_WEEK)
    assert stats.completion_rate(every_mon_tue_wed, day(9), 7) == 1.0
    one_short_last_week = history(done=[0, 1, 2, 7, 14, 15, 16], schedule=THREE_A_WEEK)
    # last week: 1 of 3 at weight 4/7 (Thu..Sun); this week: 3 of 3
    assert stats.completion_rate(one_short_last_week, day(16), 7) == pytest.approx((4 / 7 + 3) / (12 / 7 + 3))


# Strength (Loop Habit Tracker's score)

def test_loop_frequency_is_repetitions_per_number_of_days():
    assert Schedule().loop_frequency == (1, 1)
    assert MON_WED_FRI.loop_frequency == (3, 7)
    assert THREE_A_WEEK.loop_frequency == (3, 7)
    assert Schedule(weekdays=frozenset(range(7))).loop_frequency == (1, 1)
    assert Schedule(times=7, days=7).loop_frequency == (1, 1)


def test_daily_strength_follows_loop_formula():
    expected = loop_scores([1, 1, 0, 1], frequency=1)
    assert scores(history(done=[0, 1, 3]), day(3)) == pytest.approx(expected)
    assert stats.strength(history(done=[0, 1, 3]), day(3)) == round(expected[-1] * 100)


def test_three_a_week_strength_uses_loops_doubled_window():
    # Loop scores 3/7 as "6 in the last 14 days"; the check-in on day 0 leaves the window on day 14.
    values = [1 / 6, 1 / 6, 2 / 6, 2 / 6] + [2 / 6] * 10 + [1 / 6, 1 / 6]
    habit = history(done=[0, 2], schedule=THREE_A_WEEK)
    assert scores(habit, day(15)) == pytest.approx(loop_scores(values, frequency=3 / 7))


def test_weekday_habit_strength_scores_like_loops_times_per_week():
    mon_wed_fri = history(done=[0, 2, 4, 7], schedule=MON_WED_FRI)
    three_a_week = history(done=[0, 2, 4, 7], schedule=THREE_A_WEEK)
    assert scores(mon_wed_fri, day(9)) == scores(three_a_week, day(9))


def test_strength_is_half_after_thirteen_perfect_days():
    assert stats.strength(history(done=range(13)), day(12)) == 50


def test_long_perfect_daily_history_reaches_full_strength():
    assert stats.strength(history(done=range(365)), day(364)) == 100


def test_perfect_weekday_habit_climbs_toward_full_strength():
    habit = history(done=[n for n in range(365) if n % 7 in {0, 2, 4}], schedule=MON_WED_FRI)
    series = scores(habit, day(364))
    assert series[-1] > 0.99
    assert all(later >= earlier for earlier, later in zip(series, series[1:]))


def test_skip_leaves_strength_unchanged():
    series = scores(history(done=[0, 1, 3], skipped=[2]), day(3))
    assert series[2] == series[1]
    assert series == pytest.approx(loop_scores([1, 1, 0, 1], frequency=1, skipped_indexes={2}))


def test_pause_leaves_strength_unchanged_and_counts_like_loops_skipped_days():
    habit = history(done=[0, 2, 4, 31], paused=[(5, 30)], schedule=THREE_A_WEEK)
    series = scores(habit, day(31))
    assert series[30] == series[4]
    # Paused days stay in Loop's 14-day window as skipped days do: by day 31 only that day's check-in is in it.
    assert series[31] == pytest.approx(stats.compute_score(3 / 7, series[30], 1 / 6))


def test_strength_series_runs_from_start_to_today():
    series = stats.strength_series(history(done=[3], start=2), day(5))
    assert [d for d, _ in series] == [day(2), day(3), day(4), day(5)]


# Weekday rates and check-in times

def test_weekday_rates_share_done_per_weekday():
    habit = history(done=[0, 1, 4, 5, 6, 7, 10, 11, 12, 13], skipped=[3])
    assert stats.weekday_rates(habit, day(13)) == [1.0, 0.5, 0.0, 1.0, 1.0, 1.0, 1.0]
    assert stats.weekday_rates(habit, day(13), 7) == [1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]


def test_weekday_rates_leave_unscheduled_weekdays_empty():
    habit = history(done=[0, 4], schedule=MON_WED_FRI)
    assert stats.weekday_rates(habit, day(6)) == [1.0, None, 0.0, None, 1.0, None, None]


def test_time_histogram_counts_check_ins_per_hour():
    times = [dt.time(7, 5), dt.time(7, 55), dt.time(23, 59, 59), dt.time(0, 0), None]
    counts = stats.time_histogram(times)
    assert len(counts) == 24
    assert (counts[0], counts[7], counts[23], sum(counts)) == (1, 2, 1, 4)
    assert stats.time_histogram(times, bins=4) == [1, 2, 0, 1]


# Empty histories

@pytest.mark.parametrize("schedule", [Schedule(), MON_WED_FRI, THREE_A_WEEK, Schedule(weekdays=frozenset({6}))])
@pytest.mark.parametrize("start", [0, 1], ids=["started_today", "starts_tomorrow"])
def test_new_habit_without_check_ins_never_raises(schedule, start):
    habit = history(schedule=schedule, start=start)
    today = day(0)
    assert stats.current_streak(habit, today) == 0
    assert stats.best_streak(habit, today) == 0
    assert stats.completion_rate(habit, today) is None
    assert stats.completion_rate(habit, today, 7) is None
    assert stats.strength(habit, today) == 0
    assert stats.weekday_rates(habit, today) == [None] * 7
    assert len(stats.week_strip(habit, today)) == 7
    assert stats.time_histogram([]) == [0] * 24
