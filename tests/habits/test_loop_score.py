"""Habit strength checked against Loop Habit Tracker's own score tests.

The cases and expected values come from Loop's ScoreTest.kt and ScoreListTest.kt
(github.com/iSoron/uhabits, commit 5aa8744e, uhabits-core/src/jvmTest/.../core/models/).
Tolerances are Loop's: 1e-6, and 1e-3 where Loop uses it.

How Loop's test setup maps onto our API:
- Loop counts days back from today (offset 0 = today); so do the helpers here.
- Loop scores from the oldest entry it knows about (today if there is none), so `start` is the
  oldest entry day. Loop reports 0 for earlier days; our series leaves them out.
- Loop's numeric fixture has target 2.0 and a daily frequency, and stores amounts x1000;
  the amounts here are already in real units (Loop's 2000 is 2.0). A missing numeric day is 0.
- Where Loop changes the frequency of an existing habit and recomputes, we build a new
  history with the new Schedule from the same entries.
"""

import math
from datetime import date, timedelta

import pytest

from habits import stats
from habits.schedule import HabitHistory, Measure, Schedule

TODAY = date(2026, 3, 15)
E = 1e-6  # Loop's tolerance in ScoreTest and ScoreListTest
DAILY = Schedule()
WEEKLY = Schedule(times=1, days=7)
MONTHLY = Schedule(times=1, days=30)
YES = "yes"  # Loop's YES_MANUAL
SKIP = "skip"  # Loop's SKIP


def day(offset: int) -> date:
    return TODAY - timedelta(days=offset)


def span(first: int, stop: int, value) -> dict:
    """The same entry on offsets first..stop-1, like Loop's check(from, to) / addEntries(from, to, v)."""
    return {offset: value for offset in range(first, stop)}


def scored_from(entries: dict) -> date:
    """Loop's recompute starts at the oldest known entry, or today when there is none."""
    return day(max(entries)) if entries else TODAY


def yes_no(entries: dict, schedule: Schedule = DAILY) -> HabitHistory:
    """A yes/no habit from {offset: YES or SKIP}."""
    return HabitHistory(
        schedule=schedule,
        start=scored_from(entries),
        done=frozenset(day(o) for o, value in entries.items() if value == YES),
        skipped=frozenset(day(o) for o, value in entries.items() if value == SKIP),
        paused=(),
        amounts={},
        measure=None,
    )


def numeric(entries: dict, *, at_most: bool = False, target: float = 2.0, schedule: Schedule = DAILY) -> HabitHistory:
    """A numeric habit from {offset: amount in real units, or SKIP}; Loop's fixture target is 2.0."""
    amounts = {day(o): float(value) for o, value in entries.items() if value != SKIP}
    meets_target = (lambda amount: amount <= target) if at_most else (lambda amount: amount >= target)
    return HabitHistory(
        schedule=schedule,
        start=scored_from(entries),
        done=frozenset(d for d, amount in amounts.items() if meets_target(amount)),
        skipped=frozenset(day(o) for o, value in entries.items() if value == SKIP),
        paused=(),
        amounts=amounts,
        measure=Measure(target=target, at_most=at_most),
    )


def scores(history: HabitHistory) -> dict[date, float]:
    """strength_series as {day: score}, after checking it has one entry per day from start to today."""
    series = stats.strength_series(history, TODAY)
    days = [d for d, _ in series]
    expected_days = [history.start + timedelta(days=n) for n in range((TODAY - history.start).days + 1)]
    assert days == expected_days, "strength_series must cover history.start..today, oldest first"
    return dict(series)


def score_today(history: HabitHistory) -> float:
    return scores(history)[TODAY]


def assert_matches_loop(history: HabitHistory, expected_newest_first: list[float]) -> None:
    """Loop's checkScoreValues: expected[0] is today, expected[1] yesterday, and so on."""
    by_day = scores(history)
    for offset, expected in enumerate(expected_newest_first):
        if day(offset) in by_day:
            assert by_day[day(offset)] == pytest.approx(expected, abs=E), f"offset {offset}"
        else:  # before the first entry: Loop reports 0 there
            assert expected == 0.0, f"offset {offset} is missing from the series"


# Loop's expected scores for a daily habit checked on offsets 0..19 (YesNo and NumericalAtLeast test_getValue).
TWENTY_DAILY_CHECKINS = [
    0.655747, 0.636894, 0.617008, 0.596033, 0.573910, 0.550574, 0.525961, 0.500000,
    0.472617, 0.443734, 0.413270, 0.381137, 0.347244, 0.311495, 0.273788, 0.234017,
    0.192067, 0.147820, 0.101149, 0.051922, 0.000000, 0.000000, 0.000000,
]


# --- ScoreTest.kt: Score.compute -------------------------------------------------------------


@pytest.mark.parametrize(
    "previous, completed, expected",
    [
        (0.0, 1.0, 0.051922),
        (0.5, 1.0, 0.525961),
        (0.75, 1.0, 0.762981),
        (0.0, 0.0, 0.0),
        (0.5, 0.0, 0.474039),
        (0.75, 0.0, 0.711058),
    ],
)
def test_compute_score_for_daily_habit_matches_loop(previous, completed, expected):
    assert stats.compute_score(1.0, previous, completed) == pytest.approx(expected, abs=E)


@pytest.mark.parametrize(
    "previous, completed, expected",
    [
        (0.0, 1.0, 0.030314),
        (0.5, 1.0, 0.515157),
        (0.75, 1.0, 0.757578),
        (0.0, 0.0, 0.0),
        (0.5, 0.0, 0.484842),
        (0.75, 0.0, 0.727263),
    ],
)
def test_compute_score_for_once_every_three_days_matches_loop(previous, completed, expected):
    assert stats.compute_score(1 / 3.0, previous, completed) == pytest.approx(expected, abs=E)


# --- ScoreListTest.kt: YesNoScoreListTest ----------------------------------------------------


def test_daily_score_after_twenty_checkins_matches_loop():
    assert_matches_loop(yes_no(span(0, 20, YES)), TWENTY_DAILY_CHECKINS)


def test_skipped_days_keep_the_previous_score_matches_loop():
    # Loop's skips on offsets 5, 10 and 11 replace the check-ins on those days.
    entries = {**span(0, 20, YES), 5: SKIP, 10: SKIP, 11: SKIP}
    assert_matches_loop(
        yes_no(entries),
        [
            0.596033, 0.573910, 0.550574, 0.525961, 0.500000, 0.472617, 0.472617, 0.443734,
            0.413270, 0.381137, 0.347244, 0.347244, 0.347244, 0.311495, 0.273788, 0.234017,
            0.192067, 0.147820, 0.101149, 0.051922, 0.000000, 0.000000, 0.000000,
        ],
    )


def test_skip_right_after_the_first_checkin_keeps_its_score_matches_loop():
    assert_matches_loop(
        yes_no({5: YES, 4: SKIP}),
        [0.041949, 0.044247, 0.046670, 0.049226, 0.051922, 0.051922, 0.0],
    )


def _two_of_every_seven_days() -> dict:
    """Loop's test_imperfectNonDaily: for 100 weeks, done on the two newest days of each week."""
    return {7 * week + d: YES for week in range(100) for d in (0, 1)}


def test_three_a_week_missing_one_each_week_converges_to_two_thirds():
    history = yes_no(_two_of_every_seven_days(), Schedule(times=3, days=7))
    assert score_today(history) == pytest.approx(2 / 3.0, abs=E)


def test_four_a_week_missing_two_each_week_converges_to_half():
    # Same check-ins, frequency changed to 4 in 7 and recomputed.
    history = yes_no(_two_of_every_seven_days(), Schedule(times=4, days=7))
    assert score_today(history) == pytest.approx(0.5, abs=E)


def test_weekly_habit_done_on_different_weekdays_converges_to_full():
    # 100 two-week blocks, done on the newest day of the first week and the oldest day of the second.
    entries = {14 * block + d: YES for block in range(100) for d in (0, 13)}
    assert score_today(yes_no(entries, WEEKLY)) == pytest.approx(1.0, abs=1e-3)


def test_daily_habit_reaches_99_percent_within_three_months():
    assert score_today(yes_no(span(0, 90, YES))) > 0.99


def test_weekly_habit_reaches_99_percent_within_nine_months():
    weekly = {7 * i: YES for i in range(39)}
    assert score_today(yes_no(weekly, WEEKLY)) > 0.99


def test_monthly_habit_reaches_99_percent_within_eighteen_months():
    # Loop reuses the weekly habit here, so its weekly check-ins are still there.
    entries = {**{7 * i: YES for i in range(39)}, **{30 * i: YES for i in range(18)}}
    assert score_today(yes_no(entries, MONTHLY)) > 0.99


def test_yes_no_score_before_and_after_a_frequency_change_matches_loop():
    assert score_today(yes_no({})) == pytest.approx(0.0, abs=E)
    assert score_today(yes_no(span(0, 2, YES))) == pytest.approx(0.101149, abs=E)
    assert score_today(yes_no(span(0, 2, YES), Schedule(times=1, days=2))) == pytest.approx(0.054816, abs=E)


def test_removing_the_only_checkin_brings_the_score_back_to_zero():
    assert score_today(yes_no({})) == pytest.approx(0.0, abs=E)
    assert score_today(yes_no({0: YES})) == pytest.approx(0.051922, abs=E)
    # Loop overwrites the check-in with UNKNOWN: no entries are left.
    assert score_today(yes_no({})) == pytest.approx(0.0, abs=E)


def test_seven_times_in_seven_days_scores_like_daily():
    # Not a Loop test case: Loop's Frequency turns k-in-k into daily; checked with test_getValue's data.
    assert_matches_loop(yes_no(span(0, 20, YES), Schedule(times=7, days=7)), TWENTY_DAILY_CHECKINS)


# --- ScoreListTest.kt: NumericalAtLeastScoreListTest -----------------------------------------

# Loop's createNumericalHabit fixture: 0.1..0.8 units on these offsets (stored as 100..800).
NUMERIC_FIXTURE = {0: 0.1, 1: 0.2, 3: 0.3, 5: 0.4, 7: 0.5, 8: 0.6, 9: 0.7, 10: 0.8}


def test_at_least_habit_with_zero_target_has_finite_score():
    history = numeric(NUMERIC_FIXTURE, target=0.0)
    assert math.isfinite(score_today(history))


def test_at_least_score_after_twenty_days_on_target_matches_loop():
    assert_matches_loop(numeric(span(0, 20, 2.0)), TWENTY_DAILY_CHECKINS)


def test_at_least_score_before_and_after_a_frequency_change_matches_loop():
    assert score_today(numeric({})) == pytest.approx(0.0, abs=E)
    assert score_today(numeric(span(0, 2, 2.0))) == pytest.approx(0.101149, abs=E)
    assert score_today(numeric(span(0, 2, 2.0), schedule=Schedule(times=1, days=2))) == pytest.approx(0.072631, abs=E)


def test_at_least_daily_habit_reaches_99_percent_within_three_months():
    assert score_today(numeric(span(0, 90, 2.0))) > 0.99


def test_at_least_weekly_habit_reaches_99_percent_within_nine_months():
    weekly = {7 * i: 2.0 for i in range(39)}
    assert score_today(numeric(weekly, schedule=WEEKLY)) > 0.99


def test_at_least_monthly_habit_reaches_99_percent_within_eighteen_months():
    # Loop reuses the weekly habit here, so its weekly entries are still there.
    entries = {**{7 * i: 2.0 for i in range(39)}, **{30 * i: 2.0 for i in range(18)}}
    assert score_today(numeric(entries, schedule=MONTHLY)) > 0.99


def test_at_least_score_settles_at_the_share_of_the_target_met():
    assert score_today(numeric(span(0, 500, 1.0))) == pytest.approx(0.5, abs=E)
    assert score_today(numeric(span(0, 500, 0.5))) == pytest.approx(0.25, abs=E)


def test_at_least_overachieving_counts_as_one_day_on_target():
    assert score_today(numeric({0: 10000.0})) == pytest.approx(0.051922, abs=E)


# --- ScoreListTest.kt: NumericalAtLeastScoreListWithSkipTest ---------------------------------


def test_at_least_skipped_days_keep_the_previous_score_matches_loop():
    entries = {**span(0, 10, 2.0), 10: SKIP, **span(11, 15, 2.0), 15: SKIP, **span(16, 20, 2.0)}
    assert_matches_loop(
        numeric(entries),
        [
            0.617008, 0.596033, 0.573910, 0.550574, 0.525961, 0.500000, 0.472617, 0.443734,
            0.413270, 0.381137, 0.347244, 0.347244, 0.311495, 0.273788, 0.234017, 0.192067,
            0.192067, 0.147820, 0.101149, 0.051922, 0.000000, 0.000000, 0.000000,
        ],
    )


def test_at_least_skipped_days_are_treated_as_if_they_never_existed():
    initial = score_today(numeric(span(0, 500, 1.0)))

    older_skips = {**span(0, 500, 1.0), **span(500, 1000, SKIP)}
    assert score_today(numeric(older_skips)) == pytest.approx(initial, abs=E)

    # Loop then overwrites offsets 0..699: amounts, a 200-day run of skips, amounts, older skips.
    with_gap = {**older_skips, **span(0, 300, 1.0), **span(300, 500, SKIP), **span(500, 700, 1.0)}
    assert score_today(numeric(with_gap)) == pytest.approx(initial, abs=E)


# --- ScoreListTest.kt: NumericalAtMostScoreListTest ------------------------------------------


def test_at_most_habit_with_zero_target_has_finite_score():
    history = numeric(NUMERIC_FIXTURE, at_most=True, target=0.0)
    assert math.isfinite(score_today(history))


def test_at_most_score_after_twenty_days_over_the_limit_matches_loop():
    entries = {20: 1.0, **span(0, 20, 5.0)}
    assert_matches_loop(
        numeric(entries, at_most=True),
        [
            0.344253, 0.363106, 0.382992, 0.403967, 0.426090, 0.449426, 0.474039, 0.500000,
            0.527383, 0.556266, 0.586730, 0.618863, 0.652756, 0.688505, 0.726212, 0.765983,
            0.807933, 0.852180, 0.898851, 0.948078, 1.0, 0.0, 0.0,
        ],
    )


def test_at_most_score_before_and_after_a_frequency_change_matches_loop():
    assert score_today(numeric({}, at_most=True)) == pytest.approx(1.0, abs=E)
    assert score_today(numeric(span(0, 2, 5.0), at_most=True)) == pytest.approx(0.898850, abs=E)
    every_other_day = Schedule(times=1, days=2)
    assert score_today(numeric(span(0, 2, 5.0), at_most=True, schedule=every_other_day)) == pytest.approx(
        0.927369, abs=E
    )


def test_at_most_score_settles_at_how_far_under_double_the_limit():
    assert score_today(numeric(span(0, 500, 3.0), at_most=True)) == pytest.approx(0.5, abs=E)
    assert score_today(numeric(span(0, 500, 3.5), at_most=True)) == pytest.approx(0.25, abs=E)


def test_at_most_going_far_over_the_limit_counts_as_one_missed_day():
    assert score_today(numeric({1: 10000.0}, at_most=True)) == pytest.approx(0.950773, abs=E)


def test_at_most_staying_under_the_limit_counts_as_a_full_day():
    assert score_today(numeric({0: 5.0, 1: 0.0}, at_most=True)) == pytest.approx(0.948077, abs=E)
    # Loop then overwrites yesterday's 0 with 1.0, still under the limit of 2.0.
    assert score_today(numeric({0: 5.0, 1: 1.0}, at_most=True)) == pytest.approx(0.948077, abs=E)


# Streaks on the same sequences. Loop has no streak tests for these, so the expectations are ours,
# derived by hand from our rule: periods met in a row, excused days transparent, and the running
# period never breaks a streak.

def streaks(history: HabitHistory) -> tuple[int, int]:
    figures = stats.fold(history, TODAY)
    return figures.current_streak, figures.best_streak


def test_twenty_daily_check_ins_are_a_twenty_day_streak():
    assert streaks(yes_no(span(0, 20, YES))) == (20, 20)


def test_skipped_days_neither_break_nor_extend_a_daily_streak():
    entries = {**span(0, 20, YES), 5: SKIP, 10: SKIP, 11: SKIP}
    assert streaks(yes_no(entries)) == (17, 17)


def test_days_missed_after_a_skip_break_the_streak():
    assert streaks(yes_no({5: YES, 4: SKIP})) == (0, 1)


def test_two_of_three_a_week_never_makes_a_weekly_streak_past_the_short_first_week():
    entries = {7 * k + j: YES for k in range(100) for j in (0, 1)}
    # The first (Saturday-started) week asks for its two days only and is met; every full week falls short.
    assert streaks(yes_no(entries, Schedule(times=3, days=7))) == (0, 1)


def test_numeric_days_meeting_the_target_are_the_streak():
    at_least = numeric(span(0, 20, 2.0), at_most=False)
    assert streaks(at_least) == (20, 20)
    at_most = numeric({20: 1.0, **span(0, 20, 5.0)}, at_most=True)
    assert streaks(at_most) == (0, 1)
