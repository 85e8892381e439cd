"""One habit's check-ins laid out day by day: the grid every detector reads.

Index 0 is the habit's first day, the last index is today. A day is *due* when the habit was
scheduled and not excused (skipped or paused) and the day is over; a day with a check-in that
meets the target is always due and done, as in `habits.stats`. Today counts only once done.
"""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np

from habits.schedule import HabitHistory, excused_mask, scheduled_mask, target_is_per_period

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
    amounts: np.ndarray         # the day's logged total for measurable habits, NaN when none

    @property
    def length(self) -> int:
        return len(self.done)

    @property
    def name(self) -> str:
        return self.habit.name

    @property
    def is_flexible(self) -> bool:
        """A few-times-a-week habit has no particular day it is due, so day-level patterns do not apply."""
        return self.habit.schedule.is_flexible

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
            amounts={date.fromordinal(int(i) + self.first): float(self.amounts[i]) for i in np.flatnonzero(~np.isnan(self.amounts))},
            measure=self.habit.measure,
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
    totals = np.full(length, np.nan)
    known = ~np.isnan(values)
    counted = np.zeros(length, dtype=bool)
    counted[index[known]] = True
    sums = np.zeros(length)
    np.add.at(sums, index[known], values[known])
    totals[counted] = sums[counted]
    measure = habit.measure
    if measure is not None and not target_is_per_period(habit.schedule, measure):
        done = counted & measure.met_by_each(sums)
    else:
        done = checked_in

    times = np.full(length, np.nan)
    valid = (minutes >= 0) & (minutes < 1440)
    np.fmin.at(times, index[valid], minutes[valid])

    scheduled = scheduled_mask(habit.schedule, first, length)
    excused = excused_mask(habit.skipped, habit.paused, first, length)
    over = np.ones(length, dtype=bool)
    if length:
        over[-1] = False
    due = scheduled & ((over & ~excused) | done)
    return HabitSeries(habit=habit, first=first, today=today, checked_in=checked_in, done=done, minutes=times,
                       scheduled=scheduled, due=due, amounts=totals)
