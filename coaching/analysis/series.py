"""One habit's check-ins laid out day by day: the grid every detector reads.

Index 0 is the habit's first day, the last index is today. A day is *due* when the habit was
scheduled and not excused (skipped or paused) and the day is over; a day with a check-in that
meets the target is always due and done, as in `habits.stats`. Today counts only once done.
"""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np

from habits.stats import PER_WEEK, WEEKDAYS, HabitHistory

from .inputs import HabitInput


@dataclass
class HabitSeries:
    habit: HabitInput
    first: int                  # ordinal of index 0 (the habit's start)
    today: int                  # ordinal of today
    checked_in: np.ndarray      # bool per day: any check-in, target met or not
    done: np.ndarray            # bool per day: a check-in that meets the target
    minutes: np.ndarray         # local minute of the day's check-in, NaN when none or unknown
    scheduled: np.ndarray       # bool per day
    due: np.ndarray             # bool per day

    @property
    def length(self) -> int:
        return len(self.done)

    @property
    def name(self) -> str:
        return self.habit.name

    @property
    def is_flexible(self) -> bool:
        """A few-times-a-week habit has no particular day it is due, so day-level patterns do not apply."""
        schedule = self.habit.schedule
        return schedule.kind == PER_WEEK and schedule.times_per_week < 7

    @cached_property
    def weekday(self) -> np.ndarray:
        return (np.arange(self.first, self.first + self.length) - 1) % 7  # date.fromordinal(1) is a Monday

    @cached_property
    def history(self) -> HabitHistory:
        done_days = np.flatnonzero(self.done) + self.first
        return HabitHistory(
            schedule=self.habit.schedule,
            start=self.habit.start,
            done=frozenset(map(date.fromordinal, done_days.tolist())),
            skipped=self.habit.skipped,
            paused=self.habit.paused,
        )

    def window_start(self, days: int) -> int:
        """Grid index where the last `days` days (today included) begin."""
        return max(0, self.length - days)


def build_series(habit: HabitInput, days: np.ndarray, minutes: np.ndarray, values: np.ndarray, today: int) -> HabitSeries:
    """The grid for one habit from its own check-in rows (any order, duplicates per day allowed)."""
    first = habit.start.toordinal()
    length = max(0, today - first + 1)
    index = days - first
    keep = (index >= 0) & (index < length)
    index, minutes, values = index[keep], minutes[keep], values[keep]

    checked_in = np.zeros(length, dtype=bool)
    checked_in[index] = True
    if habit.kind == "measurable" and habit.target is not None:
        totals = np.zeros(length)
        counted = np.zeros(length, dtype=bool)
        known = ~np.isnan(values)
        np.add.at(totals, index[known], values[known])
        counted[index[known]] = True
        meets = totals >= habit.target if habit.target_type != "at_most" else totals <= habit.target
        done = counted & meets
    else:
        done = checked_in

    times = np.full(length, np.nan)
    valid = (minutes >= 0) & (minutes < 1440)
    np.fmin.at(times, index[valid], minutes[valid])

    scheduled = _scheduled(habit, first, length)
    excused = _excused(habit, first, length)
    over = np.ones(length, dtype=bool)
    if length:
        over[-1] = False
    due = scheduled & ((over & ~excused) | done)
    return HabitSeries(habit=habit, first=first, today=today, checked_in=checked_in, done=done, minutes=times,
                       scheduled=scheduled, due=due)


def _scheduled(habit: HabitInput, first: int, length: int) -> np.ndarray:
    schedule = habit.schedule
    if schedule.kind == WEEKDAYS:
        weekday = (np.arange(first, first + length) - 1) % 7
        return np.isin(weekday, list(schedule.weekdays))
    return np.ones(length, dtype=bool)


def _excused(habit: HabitInput, first: int, length: int) -> np.ndarray:
    excused = np.zeros(length, dtype=bool)
    for day in habit.skipped:
        index = day.toordinal() - first
        if 0 <= index < length:
            excused[index] = True
    for start, end in habit.paused:
        low = max(0, start.toordinal() - first)
        high = length if end is None else min(length, end.toordinal() - first + 1)
        if low < high:
            excused[low:high] = True
    return excused
