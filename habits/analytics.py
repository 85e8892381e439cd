"""What the Analytics page says about one person's habits over the last 30 or 90 days.

Pure: no database, no clock. Takes each habit's `HabitHistory`, the `stats.Figures` the habit
page folds from it, its check-in times and `today`. Every number comes from `habits.stats` and
`habits.schedule`, the functions the habit page calls, so the two pages never disagree; every
sentence of a caption is built from the numbers beside it and says nothing they do not show.
"""

from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from math import comb
from statistics import median_low

from . import schedule, stats
from .schedule import HabitHistory, Schedule, period_of

WINDOWS = (30, 90)
DEFAULT_WINDOW = 30
TREND_WEEKS = 13
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# A weekday seen fewer times than this is luck either way: 2 of 2 Tuesdays says nothing.
MIN_WEEKDAY_OCCURRENCES = 3
# The best (or hardest) weekday is named only when chance would rarely make any weekday look that good (or bad):
# a one-sided Fisher exact test at 5%, Bonferroni-corrected for the weekdays compared.
WEEKDAY_SIGNIFICANCE = 0.05
# A typical time from fewer timed check-ins would describe a handful of days, not a habit.
MIN_TIMED_CHECK_INS = 5


@dataclass(frozen=True)
class HabitData:
    """One habit as loaded for the page (the thin layer's output, this module's input)."""

    habit_id: int
    name: str
    history: HabitHistory
    figures: stats.Figures                        # the habit page's fold of the whole history
    check_in_times: list[tuple[date, time]]       # (local day, local wall-clock time) of timed check-ins


@dataclass(frozen=True)
class StandoutWeekday:
    weekday: int    # 0=Monday
    done: int
    scheduled: int

    @property
    def name(self) -> str:
        return WEEKDAY_NAMES[self.weekday]


@dataclass(frozen=True)
class HabitAnalytics:
    habit_id: int
    name: str
    schedule_label: str
    is_flexible: bool              # k times in N days: no particular day is due, so no best weekday
    days: int                      # the window: the last `days` local days, today included
    first: date                    # first day counted: the window's first day, or the habit's start if later
    is_new: bool                   # the habit started inside the window
    consistency: float | None      # stats.completion_rate over the window, as on the habit page
    done: float                    # what the rate divides: days (or period targets) done ...
    asked: float                   # ... and asked for
    check_ins: int                 # check-ins logged in the window
    strength: int                  # 0..100 today, as on the habit page
    strength_change: int | None    # points since `strength_since`; None for a habit new in the window
    strength_since: date | None    # the window's first day, where its strength chart (and the Habits sparkline) starts
    strength_series: list[tuple[date, float]]  # (day, 0..1) over the window
    best_weekday: StandoutWeekday | None
    hardest_weekday: StandoutWeekday | None
    weekdays_scheduled: int        # weekdays with at least one scheduled day in the window
    typical_time: time | None
    timed_check_ins: int
    open_today: bool               # due today and not done yet: today counts once checked in or over
    window_streak: int             # longest streak inside the window, in `streak_unit`s
    best_streak: int               # best ever, as on the habit page
    streak_unit: str
    schedule: Schedule             # says streaks in words: schedule.streak_words(n), schedule.streak_units

    @property
    def strength_trend(self) -> str:
        """"up 12 points since 1 November", or "" for a habit too new to have a trend."""
        if self.strength_change is None:
            return ""
        return f"{_trend_words(self.strength_change)} since {day_month(self.strength_since)}"

    @property
    def caption(self) -> str:
        return habit_caption(self)


@dataclass(frozen=True)
class Overall:
    days: int
    habit_count: int
    consistency: float | None      # done / asked, pooled over every habit
    done: float
    asked: float
    check_ins: int
    open_today: bool               # some habit is due today and not done yet
    weekly: list[tuple[date, float | None]]  # (Monday, consistency) for the last TREND_WEEKS weeks, this week last

    @property
    def caption(self) -> str:
        return overall_caption(self)

    @property
    def weekly_caption(self) -> str:
        return weekly_caption(self.weekly)


@dataclass(frozen=True)
class Report:
    days: int
    habits: list[HabitAnalytics]
    overall: Overall
    consistency_by_window: list[tuple[str, float | None, float | None]]  # (habit name, 30-day, 90-day)


def window_first(today: date, days: int) -> date:
    return today - timedelta(days=days - 1)


def check_in_days(history: HabitHistory) -> set[date]:
    """Every day with a check-in, met target or not (a measurable day below target is still logged)."""
    return set(history.done) | set(history.amounts)


def best_weekday(history: HabitHistory, today: date, days: int) -> StandoutWeekday | None:
    """The weekday done most often, only when chance would rarely make one look that good."""
    if history.schedule.is_flexible:
        return None
    return standout_weekday(stats.weekday_counts(history, today, days))


def hardest_weekday(history: HabitHistory, today: date, days: int) -> StandoutWeekday | None:
    """The weekday done least often, only when chance would rarely make one look that bad."""
    if history.schedule.is_flexible:
        return None
    return standout_weekday(stats.weekday_counts(history, today, days), hardest=True)


def standout_weekday(counts: list[tuple[int, int]], *, hardest: bool = False) -> StandoutWeekday | None:
    """From (done, scheduled) per weekday, Monday first: the best weekday (the worst with `hardest`)
    when it clearly stands out (strictly ahead or behind, seen at least MIN_WEEKDAY_OCCURRENCES
    times, and a one-sided Fisher test, corrected for the weekdays compared, says chance would
    rarely do as well, or as badly)."""
    seen = [(done / scheduled, weekday) for weekday, (done, scheduled) in enumerate(counts) if scheduled]
    if len(seen) < 2:
        return None
    seen.sort(reverse=not hardest)
    (rate, weekday), (runner_up, _) = seen[0], seen[1]
    done, scheduled = counts[weekday]
    if scheduled < MIN_WEEKDAY_OCCURRENCES or rate == runner_up:
        return None
    total_done = sum(d for d, _ in counts)
    total_scheduled = sum(s for _, s in counts)
    chance = chance_of_as_few if hardest else chance_of_as_many
    if chance(done, scheduled, total_done, total_scheduled) * len(seen) >= WEEKDAY_SIGNIFICANCE:
        return None
    return StandoutWeekday(weekday=weekday, done=done, scheduled=scheduled)


def chance_of_as_many(done: int, days: int, total_done: int, total_days: int) -> float:
    """One-sided Fisher exact test: the chance that `days` days picked at random from the
    `total_days` hold `done` or more of the `total_done` done days."""
    return sum(
        comb(total_done, k) * comb(total_days - total_done, days - k) for k in range(done, min(days, total_done) + 1)
    ) / comb(total_days, days)


def chance_of_as_few(done: int, days: int, total_done: int, total_days: int) -> float:
    """The other tail: the chance that `days` random days hold `done` or fewer of the done days."""
    least = max(0, days - (total_days - total_done))
    return sum(
        comb(total_done, k) * comb(total_days - total_done, days - k) for k in range(least, done + 1)
    ) / comb(total_days, days)


def typical_time(times: list[time], day_start_hour: int = 0) -> time | None:
    """The middle check-in time, or None with fewer than MIN_TIMED_CHECK_INS.

    Times are ordered from the person's day start, not from midnight, so a night owl's 23:50
    and 00:20 sit side by side; the lower median is a time they actually checked in.
    """
    if len(times) < MIN_TIMED_CHECK_INS:
        return None
    start = day_start_hour * 60
    minutes = median_low(((t.hour * 60 + t.minute) - start) % 1440 for t in times)
    minutes = (minutes + start) % 1440
    return time(minutes // 60, minutes % 60)


def window_streak(history: HabitHistory, today: date, days: int) -> int:
    """The longest streak inside the window: the history cut at the start of the period holding
    the window's first day, so no period moves and none before the window counts."""
    first = window_first(today, days)
    if history.start >= first:
        return stats.best_streak(history, today)
    cut = period_of(history.schedule, first, history.start)[0]
    return stats.best_streak(replace(history, start=max(cut, history.start)), today)


def strength_change(series: list[tuple[date, float]], since: date) -> int | None:
    """Points gained since the end of `since` (negative when lost), in the rounded strengths shown."""
    by_day = dict(series)
    if since not in by_day or not series:
        return None
    return round(series[-1][1] * 100) - round(by_day[since] * 100)


def habit_analytics(data: HabitData, today: date, days: int, day_start_hour: int = 0) -> HabitAnalytics:
    history, figures = data.history, data.figures
    first = max(window_first(today, days), history.start)
    is_new = history.start > window_first(today, days)
    since = window_first(today, days)
    done, asked = stats.completion_counts(history, today, days)
    counts = stats.weekday_counts(history, today, days)
    times = [moment for day, moment in data.check_in_times if first <= day <= today]
    return HabitAnalytics(
        habit_id=data.habit_id,
        name=data.name,
        schedule_label=history.schedule.label,
        is_flexible=history.schedule.is_flexible,
        days=days,
        first=first,
        is_new=is_new,
        consistency=stats.completion_rate(history, today, days),
        done=done,
        asked=asked,
        check_ins=sum(1 for day in check_in_days(history) if first <= day <= today),
        strength=round(figures.strength * 100),
        strength_change=None if is_new else strength_change(figures.strength_series, since),
        strength_since=None if is_new else since,
        strength_series=[(day, score) for day, score in figures.strength_series if day >= first],
        best_weekday=best_weekday(history, today, days),
        hardest_weekday=hardest_weekday(history, today, days),
        weekdays_scheduled=sum(1 for _, scheduled in counts if scheduled),
        typical_time=typical_time(times, day_start_hour),
        timed_check_ins=len(times),
        open_today=today not in history.done and schedule.is_due(history, today),
        window_streak=window_streak(history, today, days),
        best_streak=figures.best_streak,
        streak_unit=history.schedule.streak_unit,
        schedule=history.schedule,
    )


def weekly_consistency(histories: list[HabitHistory], today: date, weeks: int = TREND_WEEKS) -> list[tuple[date, float | None]]:
    """(Monday, pooled consistency of that week) for the last `weeks` weeks; this week so far comes last."""
    this_monday = today - timedelta(days=today.weekday())
    result = []
    for back in range(weeks - 1, -1, -1):
        monday = this_monday - timedelta(weeks=back)
        end = min(monday + timedelta(days=6), today)
        days = (end - monday).days + 1
        done = asked = 0.0
        for history in histories:
            habit_done, habit_asked = stats.completion_counts(history, today, days, end=end)
            done += habit_done
            asked += habit_asked
        result.append((monday, done / asked if asked else None))
    return result


def overall(habits: list[HabitAnalytics], histories: list[HabitHistory], today: date, days: int) -> Overall:
    done = sum(h.done for h in habits)
    asked = sum(h.asked for h in habits)
    return Overall(
        days=days,
        habit_count=len(habits),
        consistency=done / asked if asked else None,
        done=done,
        asked=asked,
        check_ins=sum(h.check_ins for h in habits),
        open_today=any(h.open_today for h in habits),
        weekly=weekly_consistency(histories, today),
    )


def report(habits: list[HabitData], today: date, days: int, day_start_hour: int = 0) -> Report:
    items = [habit_analytics(h, today, days, day_start_hour) for h in habits]
    histories = [h.history for h in habits]
    rates = {window: [stats.completion_rate(h.history, today, window) for h in habits] for window in WINDOWS}
    return Report(
        days=days,
        habits=items,
        overall=overall(items, histories, today, days),
        consistency_by_window=[(h.name, *(rates[window][i] for window in WINDOWS)) for i, h in enumerate(habits)],
    )


# Captions: plain sentences from the numbers above.

def percent(rate: float) -> str:
    return f"{round(rate * 100)}%"


def day_month(day: date) -> str:
    return f"{day.day} {day:%B}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _whole(value: float) -> bool:
    return float(value).is_integer()


def _trend_words(change: int) -> str:
    if change > 0:
        return f"up {plural(change, 'point')}"
    if change < 0:
        return f"down {plural(-change, 'point')}"
    return "unchanged"


def habit_caption(item: HabitAnalytics) -> str:
    sentences = []
    if item.is_new:
        sentences.append(f"{item.name} started on {day_month(item.first)}, so these numbers count from then.")
    lead = item.name if not item.is_new else "So far"
    if item.consistency is None and item.open_today:
        sentences.append(f"{lead}: nothing to count yet, today counts once you check in or it ends; strength {item.strength}.")
    elif item.consistency is None:
        sentences.append(f"{lead}: nothing was asked of it in these days; strength {item.strength}.")
    else:
        if item.is_flexible:
            done = f"{percent(item.consistency)} of its {item.schedule_label.lower()} target met, {plural(item.check_ins, 'check-in')}"
        elif _whole(item.done) and _whole(item.asked):
            done = f"done on {int(item.done)} of {plural(int(item.asked), 'scheduled day')} ({percent(item.consistency)})"
        else:
            done = f"{percent(item.consistency)} of scheduled days done"
        strength = f"strength {item.strength}"
        if item.strength_trend:
            strength += f", {item.strength_trend}"
        sentences.append(f"{lead}: {done}, {strength}.")
    if item.best_weekday:
        best = item.best_weekday
        sentences.append(f"Best on {best.name}s ({best.done} of {best.scheduled}).")
    if item.hardest_weekday:
        hardest = item.hardest_weekday
        sentences.append(f"Hardest on {hardest.name}s ({hardest.done} of {hardest.scheduled}).")
    if not (item.best_weekday or item.hardest_weekday or item.is_flexible) and item.weekdays_scheduled >= 2:
        sentences.append("No weekday stands out.")
    if item.typical_time:
        sentences.append(f"Usually checked in around {item.typical_time:%H:%M}.")
    sentences.append(f"Longest streak in these {item.days} days: {item.schedule.streak_words(item.window_streak)} "
                     f"(best ever: {item.best_streak}).")
    return " ".join(sentences)


def overall_caption(summary: Overall) -> str:
    if summary.consistency is None and summary.open_today:
        return (f"Across your {plural(summary.habit_count, 'habit')}, nothing to count yet: today counts once you "
                f"check in or it ends; {plural(summary.check_ins, 'check-in')} in the last {summary.days} days.")
    if summary.consistency is None:
        return (f"Across your {plural(summary.habit_count, 'habit')}, nothing was scheduled in the last {summary.days} days; "
                f"{plural(summary.check_ins, 'check-in')}.")
    counts = (f" ({int(summary.done)} of {int(summary.asked)})"
              if _whole(summary.done) and _whole(summary.asked) else "")
    return (f"Across your {plural(summary.habit_count, 'habit')} you did {percent(summary.consistency)} of what they "
            f"asked in the last {summary.days} days{counts}, with {plural(summary.check_ins, 'check-in')}.")


def weekly_caption(weekly: list[tuple[date, float | None]]) -> str:
    scored = [(rate, monday) for monday, rate in weekly if rate is not None]
    if not scored:
        return f"Nothing was scheduled in the last {len(weekly)} weeks."
    low, high = min(scored), max(scored)
    if percent(low[0]) == percent(high[0]):
        spread = f"was {percent(low[0])} in every week with something scheduled"
    else:
        spread = (f"ranged from {percent(low[0])} (week of {day_month(low[1])}) "
                  f"to {percent(high[0])} (week of {day_month(high[1])})")
    sentences = [f"Over the last {len(weekly)} weeks your weekly consistency {spread}."]
    this_week = weekly[-1][1]
    if this_week is not None:
        sentences.append(f"This week so far: {percent(this_week)}.")
    return " ".join(sentences)
