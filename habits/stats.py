"""Streaks, completion rates and habit strength: pure functions over one habit's history.

No database, no clock: `today` is always passed in. Strength follows Loop Habit Tracker's
score so people moving from Loop see the same number.
"""

import math
from dataclasses import dataclass
from datetime import date, time, timedelta

DAILY, WEEKDAYS, PER_WEEK = "daily", "weekdays", "per_week"


@dataclass(frozen=True)
class Schedule:
    kind: str = DAILY
    weekdays: frozenset[int] = frozenset()  # 0=Monday..6=Sunday, for WEEKDAYS
    times_per_week: int = 7                 # 1..7, for PER_WEEK (weeks run Monday..Sunday)


@dataclass(frozen=True)
class HabitHistory:
    schedule: Schedule
    start: date
    done: frozenset[date]
    skipped: frozenset[date] = frozenset()
    paused: tuple[tuple[date, date | None], ...] = ()


def _days(first: date, last: date):
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def repetitions(schedule: Schedule) -> tuple[int, int]:
    """Loop's frequency as numerator / denominator (repetitions per number of days)."""
    if schedule.kind == WEEKDAYS:
        return max(1, len(schedule.weekdays)), 7
    if schedule.kind == PER_WEEK:
        return max(1, min(7, schedule.times_per_week)), 7
    return 1, 1


def frequency(schedule: Schedule) -> float:
    numerator, denominator = repetitions(schedule)
    return numerator / denominator


def is_scheduled(schedule: Schedule, day: date) -> bool:
    if schedule.kind == WEEKDAYS:
        return day.weekday() in schedule.weekdays
    return True


def is_paused(history: HabitHistory, day: date) -> bool:
    return any(start <= day and (end is None or day <= end) for start, end in history.paused)


def is_excused(history: HabitHistory, day: date) -> bool:
    return day in history.skipped or is_paused(history, day)


def streak_unit(schedule: Schedule) -> str:
    return {WEEKDAYS: "time", PER_WEEK: "week"}.get(schedule.kind, "day")


def _week_target(history: HabitHistory, monday: date, today: date) -> int:
    """How many check-ins the week asks for, after excused days and the habit's start."""
    first = max(monday, history.start)
    last = monday + timedelta(days=6)
    eligible = sum(1 for d in _days(first, last) if not is_excused(history, d)) if first <= last else 0
    return min(history.schedule.times_per_week, eligible)


def _week_done(history: HabitHistory, monday: date) -> int:
    return sum(1 for d in _days(monday, monday + timedelta(days=6)) if d in history.done)


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
        week_over = monday + timedelta(days=6) < today
        if not week_over or _week_done(history, monday) >= _week_target(history, monday, today):
            return "open"
        return "missed"
    if day == today:
        return "open"
    if not is_scheduled(history.schedule, day):
        return "unscheduled"
    return "missed"


def week_strip(history: HabitHistory, today: date, days: int = 7) -> list[tuple[date, str]]:
    return [(d, day_state(history, d, today)) for d in _days(today - timedelta(days=days - 1), today)]


def _day_outcome(history: HabitHistory, day: date, today: date) -> int:
    """+1 done, -1 a miss that breaks a streak, 0 transparent (today, excused, unscheduled)."""
    if day in history.done:
        return 1
    if day == today or is_excused(history, day) or not is_scheduled(history.schedule, day):
        return 0
    return -1


def _week_outcome(history: HabitHistory, monday: date, today: date) -> int:
    """+1 target met, -1 missed, 0 transparent (nothing asked, or this week still running)."""
    target = _week_target(history, monday, today)
    if target > 0 and _week_done(history, monday) >= target:
        return 1
    if target == 0 or monday == _monday(today):
        return 0
    return -1


def _outcomes(history: HabitHistory, today: date, newest_first: bool = False):
    """Streak outcomes from the start to today (or back from today, lazily)."""
    if today < history.start:
        return
    if history.schedule.kind == PER_WEEK:
        first, last, step = _monday(history.start), _monday(today), timedelta(weeks=1)
        outcome = _week_outcome
    else:
        first, last, step = history.start, today, timedelta(days=1)
        outcome = _day_outcome
    if newest_first:
        current = last
        while current >= first:
            yield outcome(history, current, today)
            current -= step
    else:
        current = first
        while current <= last:
            yield outcome(history, current, today)
            current += step


def current_streak(history: HabitHistory, today: date) -> int:
    streak = 0
    for outcome in _outcomes(history, today, newest_first=True):
        if outcome < 0:
            break
        streak += outcome
    return streak


def best_streak(history: HabitHistory, today: date) -> int:
    best = run = 0
    for outcome in _outcomes(history, today):
        run = 0 if outcome < 0 else run + outcome
        best = max(best, run)
    return best


def completion_rate(history: HabitHistory, today: date, days: int | None = None) -> float | None:
    first = history.start if days is None else max(history.start, today - timedelta(days=days - 1))
    if first > today:
        return None
    if history.schedule.kind == PER_WEEK:
        expected = achieved = 0
        monday = _monday(first)
        while monday <= today:
            window = [d for d in _days(max(monday, first), min(monday + timedelta(days=6), today)) if not is_excused(history, d)]
            target = min(history.schedule.times_per_week, len(window))
            done = min(target, sum(1 for d in window if d in history.done))
            unfinished = monday + timedelta(days=6) >= today
            expected += done if unfinished and done < target else target
            achieved += done
            monday += timedelta(weeks=1)
        return achieved / expected if expected else None
    scheduled = done = 0
    for day in _days(first, today):
        if is_excused(history, day) or not is_scheduled(history.schedule, day):
            continue
        if day == today and day not in history.done:
            continue
        scheduled += 1
        done += day in history.done
    return done / scheduled if scheduled else None


def strength_series(history: HabitHistory, today: date) -> list[tuple[date, float]]:
    """Loop's score, day by day: exponential smoothing of the share of the recent target met.

    Weekday schedules use Loop's numerator/denominator form (Mon/Wed/Fri = 3 per 7 days);
    skipped and paused days leave the score unchanged, as Loop does for skips.
    """
    if today < history.start:
        return []
    numerator, denominator = repetitions(history.schedule)
    multiplier = 0.5 ** (math.sqrt(numerator / denominator) / 13.0)
    if numerator < denominator:  # Loop doubles the window to smooth irregular non-daily schedules
        numerator, denominator = numerator * 2, denominator * 2
    days = list(_days(history.start, today))
    hits = [1 if d in history.done else 0 for d in days]
    score, rolling, series = 0.0, 0, []
    for i, day in enumerate(days):
        rolling += hits[i]
        if i >= denominator:
            rolling -= hits[i - denominator]
        if not is_excused(history, day) or day in history.done:
            score = score * multiplier + min(1.0, rolling / numerator) * (1 - multiplier)
        series.append((day, score))
    return series


def strength(history: HabitHistory, today: date) -> int:
    series = strength_series(history, today)
    return round(series[-1][1] * 100) if series else 0


def weekday_rates(history: HabitHistory, today: date, days: int | None = None) -> list[float | None]:
    first = history.start if days is None else max(history.start, today - timedelta(days=days - 1))
    scheduled, done = [0] * 7, [0] * 7
    for day in _days(first, today) if first <= today else ():
        if is_excused(history, day) or not is_scheduled(history.schedule, day):
            continue
        if day == today and day not in history.done:
            continue
        scheduled[day.weekday()] += 1
        done[day.weekday()] += day in history.done
    return [done[i] / scheduled[i] if scheduled[i] else None for i in range(7)]


def time_histogram(times, bins: int = 24) -> list[int]:
    counts = [0] * bins
    for moment in times:
        if isinstance(moment, time):
            minute = moment.hour * 60 + moment.minute
            counts[min(bins - 1, minute * bins // 1440)] += 1
    return counts
