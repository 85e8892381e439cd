"""Streaks, completion rates and habit strength: pure functions over one habit's history.

No database, no clock: `today` is always passed in. Which days count is `habits.schedule`'s
business; this module only adds them up.

Strength is Loop Habit Tracker's score, exactly: exponential smoothing (half-life of 13 days
at daily frequency) of how much of the target the last N days met. Yes/no habits count
check-ins in a window of N days, doubled for frequencies below 1 as Loop does; measurable
habits sum their values over N days against the target (partial credit), at-most habits score
`1 - (total - target) / target` and start at 1. Skipped and paused days leave the score
unchanged and stay in the window (Loop's SKIP). Checked against Loop's own test cases.

Streaks count periods met in a row: days for daily and weekday habits (unscheduled and
excused days are transparent), weeks, months or N-day blocks for flexible habits. The period
containing today never breaks a streak; it extends it once met.

`fold` walks the history once and can start from a `Checkpoint` (the state at the end of a
closed period), so pages that keep one do not re-read years of history.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from .schedule import (
    HabitHistory,
    PeriodTally,
    days_between,
    excused_days,
    is_excused,
    is_scheduled,
    period_of,
    period_tally,
    periods,
)

STRENGTH_HALF_LIFE_DAYS = 13.0  # Loop's constant: at daily frequency a day's weight halves in 13 days


def compute_score(frequency: float, previous: float, completed: float) -> float:
    """One day of Loop's score: the previous score decays and today's completion (0..1) is mixed in."""
    multiplier = 0.5 ** (math.sqrt(frequency) / STRENGTH_HALF_LIFE_DAYS)
    return previous * multiplier + completed * (1 - multiplier)


@dataclass(frozen=True)
class Checkpoint:
    day: date             # the last day of a closed period; the figures are as of the end of it
    score: float          # strength 0..1
    current_streak: int
    best_streak: int


@dataclass(frozen=True)
class Figures:
    strength_series: list[tuple[date, float]]  # (day, strength 0..1) from the fold's first day to today
    current_streak: int
    best_streak: int
    checkpoint: Checkpoint | None              # the state at the last period end on or before `keep_before`

    @property
    def strength(self) -> float:
        """Strength today, 0..1."""
        return self.strength_series[-1][1] if self.strength_series else 0.0


class _Score:
    """Loop's rolling window and smoothing, one day at a time."""

    def __init__(self, history: HabitHistory, first_day: date, previous: float | None):
        self.history = history
        numerator, denominator = history.schedule.loop_frequency
        self.frequency = numerator / denominator
        self.multiplier = 0.5 ** (math.sqrt(self.frequency) / STRENGTH_HALF_LIFE_DAYS)  # as in compute_score
        self.measure = history.measure
        if self.measure is None and self.frequency < 1:  # Loop doubles the window for irregular schedules
            numerator, denominator = numerator * 2, denominator * 2
        self.numerator, self.window = numerator, denominator
        if previous is None:
            previous = 1.0 if self.measure is not None and self.measure.at_most else 0.0
        self.score = previous
        self.rolling = sum(self._contribution(day) for day in days_between(first_day - timedelta(days=denominator), first_day - timedelta(days=1)))

    def _contribution(self, day: date) -> float:
        if self.measure is not None:
            return max(0.0, self.history.amounts.get(day) or 0.0) if day in self.history.amounts else 0.0
        return 1.0 if day in self.history.done else 0.0

    def _completed(self) -> float:
        if self.measure is None:
            return min(1.0, self.rolling / self.numerator)
        needed = self.measure.target * self.numerator
        if not self.measure.at_most:
            return min(1.0, self.rolling / needed) if needed > 0 else 1.0
        if needed > 0:
            return min(1.0, max(0.0, 1 - (self.rolling - needed) / needed))
        return 0.0 if self.rolling > 0 else 1.0

    def advance(self, day: date, excused: bool) -> float:
        self.rolling += self._contribution(day) - self._contribution(day - timedelta(days=self.window))
        logged = day in self.history.done or day in self.history.amounts
        if logged or not excused:
            self.score = self.score * self.multiplier + self._completed() * (1 - self.multiplier)
        return self.score


def fold(history: HabitHistory, today: date, since: Checkpoint | None = None, keep_before: date | None = None) -> Figures:
    """Strength and streaks up to today, from the habit's start or from a checkpoint.

    `history` must hold every day from the checkpoint's window on (the N days before
    `since.day` and after); with no checkpoint, the whole history.
    """
    first = since.day + timedelta(days=1) if since else history.start
    if today < first:
        return Figures([], since.current_streak if since else 0, since.best_streak if since else 0, since)
    scorer = _Score(history, first, since.score if since else None)
    excused = excused_days(history, first - timedelta(days=scorer.window), today)
    current, best = (since.current_streak, since.best_streak) if since else (0, 0)
    checkpoint = since if since and keep_before and since.day <= keep_before else None
    series = []
    if history.schedule.is_flexible:
        spans = periods(history.schedule, first, today, history.start)
    else:  # one-day periods: walk the days without building a period for each (the hot path)
        spans = ((day, day) for day in days_between(first, today))
    for period_first, period_last in spans:
        if period_first == period_last:
            series.append((period_first, scorer.advance(period_first, period_first in excused)))
            tally = _day_tally(history, period_first, excused)
        else:
            for day in days_between(max(period_first, first), min(period_last, today)):
                series.append((day, scorer.advance(day, day in excused)))
            tally = period_tally(history, period_first, period_last, excused)
        if period_last >= today:  # the running period: it extends the streak once met, never breaks it
            current += tally.met
            best = max(best, current)
            break
        if tally.met:
            current += 1
            best = max(best, current)
        elif tally.needed:
            current = 0
        if keep_before and period_last <= keep_before:
            checkpoint = Checkpoint(day=period_last, score=scorer.score, current_streak=current, best_streak=best)
    return Figures(series, current, best, checkpoint)


def _day_tally(history: HabitHistory, day: date, excused: set[date]) -> PeriodTally:
    """`period_tally` for a one-day period, without building the period (the hot path of daily habits)."""
    if day in history.done:
        return PeriodTally(needed=1, done=1, met=True)
    needed = int(day >= history.start and day not in excused and is_scheduled(history.schedule, day))
    return PeriodTally(needed=needed, done=0, met=False)


def strength_series(history: HabitHistory, today: date) -> list[tuple[date, float]]:
    return fold(history, today).strength_series


def strength(history: HabitHistory, today: date) -> int:
    return round(fold(history, today).strength * 100)


def current_streak(history: HabitHistory, today: date) -> int:
    return fold(history, today).current_streak


def best_streak(history: HabitHistory, today: date) -> int:
    return fold(history, today).best_streak


def streak_unit(schedule) -> str:
    return schedule.streak_unit


# `day_state`'s names as people read them (tooltips, screen readers, emails).
DAY_STATE_WORDS = {
    "done": "done", "missed": "missed", "skipped": "skipped", "paused": "paused",
    "unscheduled": "not scheduled", "open": "not done yet", "future": "still to come",
    "before_start": "before you started this habit",
}


def day_state(history: HabitHistory, day: date, today: date) -> str:
    if day > today:
        return "future"
    if day in history.done:
        return "done"
    if day < history.start:
        return "before_start"
    if day in history.skipped:
        return "skipped"
    if is_excused(history, day):
        return "paused"
    if history.schedule.is_flexible:
        first, last = period_of(history.schedule, day, history.start)
        tally = period_tally(history, first, last)
        return "missed" if last < today and tally.needed and not tally.met else "open"
    if not is_scheduled(history.schedule, day):
        return "unscheduled"
    return "open" if day == today else "missed"


def week_strip(history: HabitHistory, today: date, days: int = 7) -> list[tuple[date, str]]:
    return [(day, day_state(history, day, today)) for day in days_between(today - timedelta(days=days - 1), today)]


def _period_start(history: HabitHistory, today: date, days: int | None) -> date:
    return history.start if days is None else max(history.start, today - timedelta(days=days - 1))


def scored_days(history: HabitHistory, today: date, days: int | None, end: date | None = None):
    """(day, done) for the scheduled, non-excused days of the `days` ending on `end` (today unless
    given: a past week); today only once done."""
    end = end or today
    first = _period_start(history, end, days)
    if first > end:
        return
    excused = excused_days(history, first, end)
    for day in days_between(first, end):
        if not is_scheduled(history.schedule, day):
            continue
        done = day in history.done
        if done or (day != today and day not in excused):
            yield day, done


def _flexible_counts(history: HabitHistory, today: date, days: int | None, end: date) -> tuple[float, float]:
    """Period targets met, as (achieved, expected) check-ins.

    A period partly outside the window counts by the share of its days inside it; the running
    period counts only what is already done, as today does for daily habits.
    """
    first = _period_start(history, end, days)
    expected = achieved = 0.0
    if first > end:
        return achieved, expected
    for period_first, period_last in periods(history.schedule, first, end, history.start):
        tally = period_tally(history, period_first, period_last)
        met = min(tally.done, tally.needed)
        inside_last = period_last if end >= today else min(period_last, end)
        weight = ((inside_last - max(period_first, first)).days + 1) / ((period_last - max(period_first, history.start)).days + 1)
        expected += weight * (met if period_last >= today else tally.needed)
        achieved += weight * met
    return achieved, expected


def completion_counts(history: HabitHistory, today: date, days: int | None = None, end: date | None = None) -> tuple[float, float]:
    """(done, scheduled) habit-days of the last `days` days (all history when None): what the
    completion rate divides, so rates of many habits can be pooled. A flexible habit counts by
    its periods: a 3-times-a-week habit done 3 times in a week is 3 of 3, not 3 of 7. `end` ends
    the window before today (a past week)."""
    if history.schedule.is_flexible:
        return _flexible_counts(history, today, days, end or today)
    scheduled = done = 0
    for _, hit in scored_days(history, today, days, end):
        scheduled += 1
        done += hit
    return float(done), float(scheduled)


def completion_rate(history: HabitHistory, today: date, days: int | None = None) -> float | None:
    done, scheduled = completion_counts(history, today, days)
    return done / scheduled if scheduled else None


def weekday_counts(history: HabitHistory, today: date, days: int | None = None) -> list[tuple[int, int]]:
    """(done, scheduled) per weekday, Monday first."""
    scheduled, done = [0] * 7, [0] * 7
    for day, hit in scored_days(history, today, days):
        scheduled[day.weekday()] += 1
        done[day.weekday()] += hit
    return list(zip(done, scheduled))


def weekday_rates(history: HabitHistory, today: date, days: int | None = None) -> list[float | None]:
    return [done / scheduled if scheduled else None for done, scheduled in weekday_counts(history, today, days)]


def time_histogram(times: Iterable[time | None], bins: int = 24) -> list[int]:
    counts = [0] * bins
    for moment in times:
        if moment is None:
            continue
        seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
        counts[seconds * bins // 86400] += 1
    return counts
