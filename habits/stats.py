"""Streaks, completion rates and habit strength: pure functions over one habit's history.

No database, no clock: `today` is always passed in. A check-in wins over a skip or a pause on
the same day. Strength follows Loop Habit Tracker's score so people moving from Loop see the
same number.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

DAILY, WEEKDAYS, PER_WEEK = "daily", "weekdays", "per_week"


@dataclass(frozen=True)
class Schedule:
    kind: str = DAILY                       # DAILY | WEEKDAYS | PER_WEEK
    weekdays: frozenset[int] = frozenset()  # 0=Monday..6=Sunday; used when kind == WEEKDAYS
    times_per_week: int = 7                 # 1..7; used when kind == PER_WEEK (weeks run Monday..Sunday)


@dataclass(frozen=True)
class HabitHistory:
    schedule: Schedule
    start: date                             # first local day the habit existed (days before it are not scored)
    done: frozenset[date]                   # local days whose check-in meets the habit's target
    skipped: frozenset[date] = frozenset()  # single-day skips
    paused: tuple[tuple[date, date | None], ...] = ()  # inclusive ranges; end None = still paused


def _days(first: date, last: date) -> list[date]:
    return list(map(date.fromordinal, range(first.toordinal(), last.toordinal() + 1)))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weekly_target(schedule: Schedule) -> int:
    return min(7, max(1, schedule.times_per_week))


def _loop_frequency(schedule: Schedule) -> tuple[int, int]:
    """Repetitions per number of days, the form Loop scores with (k/k is daily, as in Loop)."""
    if schedule.kind == WEEKDAYS:
        numerator = max(1, len(schedule.weekdays))
    elif schedule.kind == PER_WEEK:
        numerator = _weekly_target(schedule)
    else:
        numerator = 7
    return (1, 1) if numerator == 7 else (numerator, 7)


def _paused_days(history: HabitHistory, first: date, last: date) -> set[date]:
    paused = set()
    for pause_start, pause_end in history.paused:
        paused.update(_days(max(pause_start, first), min(pause_end or last, last)))
    return paused


def _excused_days(history: HabitHistory, first: date, last: date) -> set[date]:
    """Skipped days and the paused days between `first` and `last`, as one set to look days up in."""
    return _paused_days(history, first, last).union(history.skipped)


def _period_start(history: HabitHistory, today: date, days: int | None) -> date:
    return history.start if days is None else max(history.start, today - timedelta(days=days - 1))


def frequency(schedule: Schedule) -> float:
    numerator, denominator = _loop_frequency(schedule)
    return numerator / denominator


def is_scheduled(schedule: Schedule, day: date) -> bool:
    return day.weekday() in schedule.weekdays if schedule.kind == WEEKDAYS else True


def is_paused(history: HabitHistory, day: date) -> bool:
    return any(start <= day and (end is None or day <= end) for start, end in history.paused)


def is_excused(history: HabitHistory, day: date) -> bool:
    return day in history.skipped or is_paused(history, day)


def streak_unit(schedule: Schedule) -> str:
    return {WEEKDAYS: "time", PER_WEEK: "week"}.get(schedule.kind, "day")


def _week_tally(history: HabitHistory, monday: date, excused: set[date]) -> tuple[int, int]:
    """(check-ins the week asks for, check-ins done); excused days and days before the start lower the ask."""
    available = done = 0
    for day in _days(monday, monday + timedelta(days=6)):
        if day in history.done:
            done += 1
            available += 1
        elif day >= history.start and day not in excused:
            available += 1
    return min(_weekly_target(history.schedule), available), done


def day_state(history: HabitHistory, day: date, today: date) -> str:
    if day > today:
        return "future"
    if day in history.done:
        return "done"
    if day < history.start:
        return "before_start"
    if day in history.skipped:
        return "skipped"
    if is_paused(history, day):
        return "paused"
    if history.schedule.kind == PER_WEEK:
        monday = _monday(day)
        sunday = monday + timedelta(days=6)
        target, done = _week_tally(history, monday, _excused_days(history, monday, sunday))
        return "missed" if sunday < today and done < target else "open"
    if not is_scheduled(history.schedule, day):
        return "unscheduled"
    return "open" if day == today else "missed"


def week_strip(history: HabitHistory, today: date, days: int = 7) -> list[tuple[date, str]]:
    return [(day, day_state(history, day, today)) for day in _days(today - timedelta(days=days - 1), today)]


def _week_steps(history: HabitHistory, today: date) -> list[int]:
    """Each week's effect on a PER_WEEK streak, oldest first; the running week cannot break it yet."""
    this_monday = _monday(today)
    mondays = _days(_monday(history.start), this_monday)[::7]
    excused = _excused_days(history, mondays[0], this_monday + timedelta(days=6))
    steps = []
    for monday in mondays:
        target, done = _week_tally(history, monday, excused)
        if target and done >= target:
            steps.append(1)
        elif target == 0 or monday == this_monday:
            steps.append(0)
        else:
            steps.append(-1)
    return steps


def _day_steps(history: HabitHistory, today: date) -> list[int]:
    """Each day's effect on a streak, oldest first; today cannot break it yet."""
    excused = _excused_days(history, history.start, today)
    steps = []
    for day in _days(history.start, today):
        if day in history.done:
            steps.append(1)
        elif day == today or day in excused or not is_scheduled(history.schedule, day):
            steps.append(0)
        else:
            steps.append(-1)
    return steps


def _streak_steps(history: HabitHistory, today: date) -> list[int]:
    """+1 extends a streak, -1 breaks it, 0 is transparent (skipped, paused, unscheduled, not yet due)."""
    if today < history.start:
        return []
    return _week_steps(history, today) if history.schedule.kind == PER_WEEK else _day_steps(history, today)


def current_streak(history: HabitHistory, today: date) -> int:
    streak = 0
    for step in reversed(_streak_steps(history, today)):
        if step < 0:
            break
        streak += step
    return streak


def best_streak(history: HabitHistory, today: date) -> int:
    best = run = 0
    for step in _streak_steps(history, today):
        run = 0 if step < 0 else run + step
        best = max(best, run)
    return best


def _scored_days(history: HabitHistory, today: date, days: int | None):
    """(day, done) for the scheduled, non-excused days of the period; today only once done."""
    first = _period_start(history, today, days)
    if first > today:
        return
    excused = _excused_days(history, first, today)
    for day in _days(first, today):
        if not is_scheduled(history.schedule, day):
            continue
        done = day in history.done
        if done or (day != today and day not in excused):
            yield day, done


def _weekly_completion(history: HabitHistory, today: date, days: int | None) -> float | None:
    """Share of weekly targets met.

    A week partly before the period counts by the share of its days inside it; the running
    week counts only what is already done, as today does for daily habits.
    """
    first = _period_start(history, today, days)
    if first > today:
        return None
    this_monday = _monday(today)
    excused = _excused_days(history, _monday(first), this_monday + timedelta(days=6))
    expected = achieved = 0.0
    for monday in _days(_monday(first), this_monday)[::7]:
        target, done = _week_tally(history, monday, excused)
        met = min(done, target)
        sunday = monday + timedelta(days=6)
        weight = ((sunday - max(monday, first)).days + 1) / ((sunday - max(monday, history.start)).days + 1)
        expected += weight * (met if monday == this_monday else target)
        achieved += weight * met
    return achieved / expected if expected else None


def completion_rate(history: HabitHistory, today: date, days: int | None = None) -> float | None:
    if history.schedule.kind == PER_WEEK:
        return _weekly_completion(history, today, days)
    scheduled = done = 0
    for _, hit in _scored_days(history, today, days):
        scheduled += 1
        done += hit
    return done / scheduled if scheduled else None


def weekday_rates(history: HabitHistory, today: date, days: int | None = None) -> list[float | None]:
    scheduled, done = [0] * 7, [0] * 7
    for day, hit in _scored_days(history, today, days):
        scheduled[day.weekday()] += 1
        done[day.weekday()] += hit
    return [done[i] / scheduled[i] if scheduled[i] else None for i in range(7)]


def strength_series(history: HabitHistory, today: date) -> list[tuple[date, float]]:
    """Loop's score, day by day: exponential smoothing of how much of the recent target was met.

    Weekday schedules score as Loop's "k times in 7 days"; skips leave the score unchanged
    as in Loop; paused days are cut out of the timeline, so a long pause does not empty the window.
    """
    if today < history.start:
        return []
    numerator, denominator = _loop_frequency(history.schedule)
    multiplier = 0.5 ** (math.sqrt(numerator / denominator) / 13.0)
    if numerator < denominator:  # Loop doubles the window to smooth out irregular non-daily schedules
        numerator, denominator = numerator * 2, denominator * 2
    done, skipped = history.done, history.skipped
    paused = _paused_days(history, history.start, today)
    window: list[bool] = []
    score, rolling, series = 0.0, 0, []
    for day in _days(history.start, today):
        hit = day in done
        if hit or day not in paused:
            window.append(hit)
            rolling += hit
            if len(window) > denominator:
                rolling -= window[-denominator - 1]
            if hit or day not in skipped:
                score = score * multiplier + min(1.0, rolling / numerator) * (1 - multiplier)
        series.append((day, score))
    return series


def strength(history: HabitHistory, today: date) -> int:
    series = strength_series(history, today)
    return round(series[-1][1] * 100) if series else 0


def time_histogram(times: Iterable[time | None], bins: int = 24) -> list[int]:
    counts = [0] * bins
    for moment in times:
        if moment is None:
            continue
        seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
        counts[seconds * bins // 86400] += 1
    return counts
