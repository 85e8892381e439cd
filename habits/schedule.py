"""Every rule about a habit's days, in one place: is a day scheduled, which period it belongs
to, how many check-ins that period needs, whether it was met, and what is excused.

Which local day it is (time zones, the day-start hour, DST) is `habits.days`; everything that
counts or judges days (stats, the coaching grids, the digest) calls this module.

A habit's frequency is what Loop Habit Tracker can express, "k times in N days" (daily is 1 in
1, "every 3 days" 1 in 3, "4 times a month" 4 in 30), plus our own specific weekdays. Periods:
a day for daily and weekday habits; Monday to Sunday for N = 7; the calendar month for N = 30
or 31 (how Loop writes "times a month"); otherwise consecutive blocks of N days from the
habit's first day. Excused days (skips and pauses) and days before the habit started lower
what a period asks for; a check-in on an excused day still counts.

Pure: no database, no clock. Dates are local dates.
"""

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTH_LENGTHS = (30, 31)  # Loop writes "n times a month" with these denominators


@dataclass(frozen=True)
class Schedule:
    times: int = 1                          # k check-ins ...
    days: int = 1                           # ... in N days (Loop's numerator and denominator)
    weekdays: frozenset[int] = frozenset()  # 0=Monday..6=Sunday; when set, the habit is due on these days

    def __post_init__(self):
        if not self.weekdays and self.times >= self.days:  # Loop: k in k days is daily
            object.__setattr__(self, "times", 1)
            object.__setattr__(self, "days", 1)

    @property
    def kind(self) -> str:
        if self.weekdays:
            return "weekdays"
        return "daily" if self.days == 1 else "frequency"

    @property
    def is_flexible(self) -> bool:
        """No particular day is due: any day of the period can count."""
        return self.kind == "frequency"

    @property
    def loop_frequency(self) -> tuple[int, int]:
        """(numerator, denominator) as Loop scores it; weekdays count as k times in 7 days."""
        if self.weekdays:
            count = len(self.weekdays)
            return (1, 1) if count == 7 else (count, 7)
        return self.times, self.days

    @property
    def period_unit(self) -> str:
        if not self.is_flexible:
            return "day"
        if self.days == 7:
            return "week"
        if self.days in MONTH_LENGTHS:
            return "month"
        return "period"

    @property
    def streak_unit(self) -> str:
        return "time" if self.kind == "weekdays" else self.period_unit

    @property
    def streak_units(self) -> str:
        """What a streak counts, for a label: "days", "weeks", "scheduled days"."""
        return "scheduled days" if self.streak_unit == "time" else f"{self.streak_unit}s"

    def streak_words(self, count: int) -> str:
        """A streak as every page and email says it: "3 days", "1 week", "3 in a row"."""
        if self.streak_unit == "time":
            return f"{count} in a row"
        return f"{count} {self.streak_unit}{'' if count == 1 else 's'}"

    @property
    def label(self) -> str:
        if self.kind == "weekdays":
            return "Every day" if len(self.weekdays) == 7 else ", ".join(WEEKDAY_NAMES[d] for d in sorted(self.weekdays))
        if self.kind == "daily":
            return "Every day"
        if self.times == 1:
            return {"week": "Once a week", "month": "Once a month"}.get(self.period_unit, f"Every {self.days} days")
        if self.period_unit in ("week", "month"):
            return f"{self.times}× a {self.period_unit}"
        return f"{self.times}× in {self.days} days"


@dataclass(frozen=True)
class Measure:
    """A measurable habit's target. With "once in N days" (N > 1) the target is for the period's
    total, as in Loop ("20 km a week"); otherwise it is for each day's value."""

    target: float
    at_most: bool = False

    def met_by(self, amount: float | None) -> bool:
        if amount is None:
            return False
        return amount <= self.target if self.at_most else amount >= self.target

    def met_by_each(self, amounts: np.ndarray) -> np.ndarray:
        return amounts <= self.target if self.at_most else amounts >= self.target


def target_is_per_period(schedule: Schedule, measure: Measure | None) -> bool:
    return measure is not None and schedule.is_flexible and schedule.times == 1


def counts_as_done(schedule: Schedule, measure: Measure | None, amount: float | None) -> bool:
    """Whether a day with a check-in of `amount` is a done day (a yes/no check-in always is)."""
    if measure is None or target_is_per_period(schedule, measure):
        return True
    return measure.met_by(amount)


@dataclass(frozen=True)
class HabitHistory:
    schedule: Schedule
    start: date                             # first local day the habit existed (days before it are not scored)
    done: frozenset[date]                   # local days with a check-in that counts (see counts_as_done)
    skipped: frozenset[date] = frozenset()  # single-day skips
    paused: tuple[tuple[date, date | None], ...] = ()  # inclusive ranges; end None = still paused
    amounts: Mapping[date, float] = field(default_factory=dict)  # measurable habits: the value logged per day
    measure: Measure | None = None          # None for yes/no habits (and measurable ones without a target)


def days_between(first: date, last: date) -> list[date]:
    return list(map(date.fromordinal, range(first.toordinal(), last.toordinal() + 1)))


def is_scheduled(schedule: Schedule, day: date) -> bool:
    """Whether the habit asks for this particular day (flexible habits ask for no particular day)."""
    return day.weekday() in schedule.weekdays if schedule.weekdays else True


def is_paused(history: HabitHistory, day: date) -> bool:
    return any(start <= day and (end is None or day <= end) for start, end in history.paused)


def is_excused(history: HabitHistory, day: date) -> bool:
    return day in history.skipped or is_paused(history, day)


def paused_days(history: HabitHistory, first: date, last: date) -> set[date]:
    paused = set()
    for pause_start, pause_end in history.paused:
        paused.update(days_between(max(pause_start, first), min(pause_end or last, last)))
    return paused


def excused_days(history: HabitHistory, first: date, last: date) -> set[date]:
    """Skipped days and the paused days between `first` and `last`, as one set to look days up in."""
    return paused_days(history, first, last).union(history.skipped)


def period_of(schedule: Schedule, day: date, anchor: date) -> tuple[date, date]:
    """First and last day of the period `day` belongs to; `anchor` is the habit's first day."""
    if not schedule.is_flexible:
        return day, day
    if schedule.days == 7:
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if schedule.days in MONTH_LENGTHS:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    offset = (day - anchor).days % schedule.days
    first = day - timedelta(days=offset)
    return first, first + timedelta(days=schedule.days - 1)


def period_start_on_or_after(schedule: Schedule, day: date, anchor: date) -> date:
    """The first day of the first whole period starting on or after `day` (where a history cut
    at `day` can begin without moving any period's bounds)."""
    first, last = period_of(schedule, day, anchor)
    return day if first == day else last + timedelta(days=1)


def periods(schedule: Schedule, first: date, last: date, anchor: date) -> list[tuple[date, date]]:
    """The periods touching `first`..`last`, oldest first."""
    result = []
    day = first
    while day <= last:
        period = period_of(schedule, day, anchor)
        result.append(period)
        day = period[1] + timedelta(days=1)
    return result


@dataclass(frozen=True)
class PeriodTally:
    needed: int   # check-ins the period asks for, after excused days and days before the start
    done: int     # check-ins that count
    met: bool     # the period's ask is met (a period asking nothing is met only by a check-in)


def period_tally(history: HabitHistory, first: date, last: date, excused: set[date] | None = None) -> PeriodTally:
    schedule = history.schedule
    excused = excused if excused is not None else excused_days(history, first, last)
    done = available = 0
    total = 0.0
    for day in days_between(first, last):
        if day in history.done:
            done += 1
            available += 1
            total += history.amounts.get(day) or 0.0
        elif day >= history.start and day not in excused and is_scheduled(schedule, day):
            available += 1
    needed = min(schedule.times if schedule.is_flexible else 1, available)
    if target_is_per_period(schedule, history.measure):
        met = done > 0 and history.measure.met_by(total)
        return PeriodTally(needed=needed, done=int(met), met=met)
    return PeriodTally(needed=needed, done=done, met=done > 0 and done >= needed)


def is_due(history: HabitHistory, day: date) -> bool:
    """Whether the habit still asks for a check-in on `day`: scheduled, not excused, and for
    flexible habits while the period's ask is not yet met by the days before it."""
    if day < history.start or is_excused(history, day):
        return False
    if not history.schedule.is_flexible:
        return is_scheduled(history.schedule, day)
    first, last = period_of(history.schedule, day, history.start)
    if first == day:
        return True
    before = period_tally(history, first, day - timedelta(days=1))
    if target_is_per_period(history.schedule, history.measure):
        return not before.met
    return before.done < period_tally(history, first, last).needed


def period_out_of_reach(history: HabitHistory, day: date, today: date) -> bool:
    """A flexible habit's period that can no longer be met even if every remaining day counts."""
    first, last = period_of(history.schedule, day, history.start)
    tally = period_tally(history, first, last)
    if tally.met:
        return False
    excused = excused_days(history, first, last)
    still_open = sum(
        1 for d in days_between(max(today, first), last)
        if d not in history.done and d >= history.start and d not in excused
    )
    return tally.done + still_open < tally.needed


def progress_text(history: HabitHistory, day: date) -> str:
    """"1 of 3 this week" for a flexible habit's period containing `day`."""
    first, last = period_of(history.schedule, day, history.start)
    tally = period_tally(history, first, last)
    unit = history.schedule.period_unit
    where = f"this {unit}" if unit in ("week", "month") else "this period"
    if target_is_per_period(history.schedule, history.measure):
        total = sum(history.amounts.get(d) or 0.0 for d in days_between(first, last) if d in history.done)
        return f"{total:g} of {history.measure.target:g} {where}"
    return f"{tally.done} of {history.schedule.times} {where}"


# Vectorised forms, for the coaching grids: index 0 is the ordinal `first`.

def scheduled_mask(schedule: Schedule, first: int, length: int) -> np.ndarray:
    if schedule.weekdays:
        weekday = (np.arange(first, first + length) - 1) % 7  # date.fromordinal(1) is a Monday
        return np.isin(weekday, list(schedule.weekdays))
    return np.ones(length, dtype=bool)


def excused_mask(skipped, paused, first: int, length: int) -> np.ndarray:
    excused = np.zeros(length, dtype=bool)
    for day in skipped:
        index = day.toordinal() - first
        if 0 <= index < length:
            excused[index] = True
    for start, end in paused:
        low = max(0, start.toordinal() - first)
        high = length if end is None else min(length, end.toordinal() - first + 1)
        if low < high:
            excused[low:high] = True
    return excused
