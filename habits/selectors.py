"""Reads for habit pages, in a fixed number of queries whatever the history length."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import numpy as np
from django.db.models import F, Min, Q

from . import analytics, schedule, stats
from .models import CheckIn, Habit, HabitCheckpoint, Pause, Skip
from .schedule import HabitHistory


STREAK_CHECKPOINT_LAG = timedelta(days=40)   # checkpoints sit this far back, so pages still draw 30 days of strength
CHECKPOINT_REFRESH_AFTER = timedelta(days=120)  # older checkpoints are moved forward on the next read


@dataclass
class HabitView:
    """A habit with its (recent or whole) history and the numbers the pages show about it."""

    habit: Habit
    history: HabitHistory
    today: date
    figures: stats.Figures
    values: dict = field(default_factory=dict)          # local_date -> value (None for yes/no)
    recent: dict = field(default_factory=dict)          # local_date -> CheckIn (last 8 days)

    @property
    def current_streak(self):
        return self.figures.current_streak

    @property
    def best_streak(self):
        return self.figures.best_streak

    @property
    def streak_unit(self):
        return self.habit.schedule.streak_unit

    @property
    def strength_series(self):
        return self.figures.strength_series

    @property
    def strength(self):
        return round(self.figures.strength * 100)

    @cached_property
    def week(self):
        return stats.week_strip(self.history, self.today, days=7)

    @cached_property
    def today_state(self):
        return stats.day_state(self.history, self.today, self.today)

    @property
    def done_today(self):
        return self.today in self.history.done

    @property
    def checked_in_today(self):
        return self.today in self.values

    @property
    def today_checkin(self):
        return self.recent.get(self.today)

    @property
    def skipped_today(self):
        return self.today in self.history.skipped

    @property
    def paused_today(self):
        return schedule.is_excused(self.history, self.today) and not self.skipped_today

    @property
    def scheduled_today(self):
        return schedule.is_scheduled(self.habit.schedule, self.today) and not self.paused_today

    @property
    def period_progress(self):
        """"1 of 3 this week" for flexible habits, None otherwise."""
        return schedule.progress_text(self.history, self.today) if self.habit.schedule.is_flexible else None

    @cached_property
    def rate_7(self):
        return stats.completion_rate(self.history, self.today, 7)

    @cached_property
    def rate_30(self):
        return stats.completion_rate(self.history, self.today, 30)

    @cached_property
    def rate_all(self):
        return stats.completion_rate(self.history, self.today)


def build_history(habit: Habit, values: dict, skipped, pauses) -> HabitHistory:
    """A habit's history from its check-in values per day (None for yes/no), skipped days and pauses."""
    done = frozenset(day for day, value in values.items() if habit.meets_target(value))
    amounts = {day: value for day, value in values.items() if value is not None} if habit.is_measurable else {}
    return HabitHistory(
        schedule=habit.schedule,
        start=min([habit.start_date, *values.keys()]) if values else habit.start_date,
        done=done,
        skipped=frozenset(skipped),
        paused=tuple(pauses),
        amounts=amounts,
        measure=habit.measure,
    )


def excused_days(*, habit_ids=None, user_ids=None, since: date | None = None):
    """Skipped days and pauses per habit id, in two queries, for the habits or people given."""
    scope = {"habit_id__in": habit_ids} if habit_ids is not None else {"user_id__in": user_ids}
    skip_rows = Skip.objects.filter(**scope)
    if since is not None:
        skip_rows = skip_rows.filter(local_date__gte=since)
    skips = defaultdict(list)
    for habit_id, day in skip_rows.values_list("habit_id", "local_date"):
        skips[habit_id].append(day)
    pauses = defaultdict(list)
    for habit_id, start, end in Pause.objects.filter(**scope).values_list("habit_id", "start", "end"):
        pauses[habit_id].append((start, end))
    return skips, pauses


def _as_checkpoint(row: HabitCheckpoint) -> stats.Checkpoint:
    return stats.Checkpoint(day=row.as_of, score=row.score, current_streak=row.current_streak, best_streak=row.best_streak)


def _reads_from(habit: Habit, checkpoint: stats.Checkpoint, today: date) -> date:
    """The first day a fold from `checkpoint` looks at: Loop's window before it, and the last 30 days."""
    window = 2 * habit.schedule.loop_frequency[1]
    return min(checkpoint.day - timedelta(days=window), today - timedelta(days=31))


def habit_views(habits: list[Habit], today: date, recent_days: int = 8, whole_history: bool = False) -> list[HabitView]:
    """Figures for many habits in a fixed number of queries.

    A habit with a checkpoint reads only the days since it, so the cost does not grow with the
    length of its history; the others (and `whole_history` callers, who draw all of it) read
    everything once and leave a checkpoint for next time.
    """
    ids = [h.pk for h in habits]
    checkpoints = {} if whole_history else {
        row.habit_id: _as_checkpoint(row) for row in HabitCheckpoint.objects.filter(habit_id__in=ids)
    }
    reads_from = {h.pk: _reads_from(h, checkpoints[h.pk], today) for h in habits if h.pk in checkpoints}
    partial = Q(local_date__gte=min(reads_from.values())) if reads_from else Q(pk__in=[])
    whole = Q(habit_id__in=[pk for pk in ids if pk not in reads_from])
    values = defaultdict(dict)
    for habit_id, day, value in CheckIn.objects.filter(partial | whole, habit_id__in=ids).values_list("habit_id", "local_date", "value"):
        values[habit_id][day] = value
    skips = defaultdict(list)
    for habit_id, day in Skip.objects.filter(partial | whole, habit_id__in=ids).values_list("habit_id", "local_date"):
        skips[habit_id].append(day)
    pauses = defaultdict(list)
    for habit_id, start, end in Pause.objects.filter(habit_id__in=ids).values_list("habit_id", "start", "end"):
        pauses[habit_id].append((start, end))
    recent = defaultdict(dict)
    if recent_days:
        for checkin in CheckIn.objects.filter(habit_id__in=ids, local_date__gte=today - timedelta(days=recent_days)):
            recent[checkin.habit_id][checkin.local_date] = checkin

    views, fresh = [], []
    keep_before = today - STREAK_CHECKPOINT_LAG
    for habit in habits:
        history = build_history(habit, values[habit.pk], skips[habit.pk], pauses[habit.pk])
        since = checkpoints.get(habit.pk)
        figures = stats.fold(history, today, since=since, keep_before=keep_before)
        if not whole_history and figures.checkpoint and (since is None or since.day < today - CHECKPOINT_REFRESH_AFTER):
            fresh.append(HabitCheckpoint(habit=habit, as_of=figures.checkpoint.day, score=figures.checkpoint.score,
                                         current_streak=figures.checkpoint.current_streak,
                                         best_streak=figures.checkpoint.best_streak))
        views.append(HabitView(habit=habit, history=history, today=today, figures=figures,
                               values=values[habit.pk], recent=recent[habit.pk]))
    if fresh:
        HabitCheckpoint.objects.bulk_create(
            fresh, update_conflicts=True, unique_fields=["habit"], update_fields=["as_of", "score", "current_streak", "best_streak"],
        )
    return views


def active_habits(user):
    return list(Habit.objects.for_user(user).active())


def today_overview(user, today: date):
    views = habit_views(active_habits(user), today)
    due = [v for v in views if v.scheduled_today]
    other = [v for v in views if not v.scheduled_today]
    done = sum(1 for v in due if v.done_today)
    return {"due": due, "other": other, "done_count": done, "due_count": len(due)}


def analytics_for(user, today: date, days: int):
    """The Analytics page's report: the habit page's figures for every active habit, plus the
    times of the check-ins in the longest window, in a fixed number of queries."""
    views = habit_views(active_habits(user), today, recent_days=0, whole_history=True)
    since = analytics.window_first(today, max(analytics.WINDOWS))
    times = defaultdict(list)
    timed = CheckIn.objects.filter(habit_id__in=[v.habit.pk for v in views], local_date__gte=since, time_known=True)
    for checkin in timed.only("habit_id", "local_date", "completed_at", "timezone", "time_known"):
        times[checkin.habit_id].append((checkin.local_date, checkin.local_time))
    habits = [analytics.HabitData(habit_id=v.habit.pk, name=v.habit.name, history=v.history, figures=v.figures,
                                  check_in_times=times[v.habit.pk]) for v in views]
    return analytics.report(habits, today, days, day_start_hour=user.coaching_profile.day_start_hour)


def habit_checkins(habit: Habit):
    return CheckIn.objects.filter(habit=habit).order_by("-local_date")


def automaticity_summary(habit: Habit, today: date):
    from .automaticity import project
    from .models import AutomaticityCheck

    checks = list(AutomaticityCheck.objects.filter(habit=habit))
    points = [((c.local_date - habit.start_date).days, c.score) for c in checks]
    last = checks[-1] if checks else None
    return {
        "checks": checks,
        "projection": project(points),
        "due": last is None or (today - last.local_date).days >= 7,
        "days_since_start": (today - habit.start_date).days,
        "next_due": last.local_date + timedelta(days=7) if last else today,
    }


def pooled_completion(last_days: dict[int, date], days: int = 30) -> tuple[float, float]:
    """(done, scheduled) habit-days of everyone in `last_days` (user id -> the last local day to
    count, e.g. their yesterday), over the `days` days ending there, pooled over their habits that
    are not archived. What a staff figure divides; each habit counts as `stats.completion_counts`
    would count it, in a fixed number of queries. Day-by-day habits are added up as arrays;
    flexible ones (a minority) go through their periods one by one."""
    if not last_days:
        return 0.0, 0.0
    low = min(last_days.values()) - timedelta(days=days - 1)
    rows = list(Habit.objects.filter(user_id__in=list(last_days), archived_at__isnull=True).values_list(
        "id", "user_id", "start_date", "schedule_kind", "weekdays", "frequency_numerator", "frequency_denominator",
        "kind", "target", "target_type",
    ))
    habits = {row[0]: Habit(id=row[0], user_id=row[1], start_date=row[2], schedule_kind=row[3], weekdays=row[4],
                            frequency_numerator=row[5], frequency_denominator=row[6], kind=row[7], target=row[8],
                            target_type=row[9]) for row in rows}
    flexible = {pk for pk, habit in habits.items() if habit.schedule.is_flexible}
    period_reach = timedelta(days=max((habits[pk].frequency_denominator for pk in flexible), default=0))
    window = Q(local_date__gte=low) | Q(habit_id__in=flexible, local_date__gte=low - period_reach)
    in_scope = {"habit__user_id__in": list(last_days), "habit__archived_at__isnull": True}
    # A habit's life starts at its first check-in when that came before its start date (imports).
    early = CheckIn.objects.filter(local_date__lt=F("habit__start_date"), **in_scope)
    for habit_id, first in early.values("habit_id").annotate(first=Min("local_date")).values_list("habit_id", "first"):
        habits[habit_id].start_date = first
    values = defaultdict(dict)
    for habit_id, day, value in CheckIn.objects.filter(window, **in_scope).values_list("habit_id", "local_date", "value"):
        values[habit_id][day] = value
    skips, pauses = defaultdict(list), defaultdict(list)
    for habit_id, day in Skip.objects.filter(window, **in_scope).values_list("habit_id", "local_date"):
        skips[habit_id].append(day)
    for habit_id, start, end in Pause.objects.filter(**in_scope).values_list("habit_id", "start", "end"):
        pauses[habit_id].append((start, end))

    done_total = scheduled_total = 0.0
    grid = [pk for pk in habits if pk not in flexible]
    for pk in flexible:
        habit = habits[pk]
        history = build_history(habit, values[pk], skips[pk], pauses[pk])
        last = last_days[habit.user_id]
        done, scheduled = stats.completion_counts(history, last + timedelta(days=1), days, end=last)
        done_total, scheduled_total = done_total + done, scheduled_total + scheduled
    if grid:
        scheduled, done, excused = _day_grids([habits[pk] for pk in grid], last_days, days, values, skips, pauses)
        done, counted = stats.pooled_day_counts(scheduled, done, excused)
        done_total, scheduled_total = done_total + done, scheduled_total + counted
    return done_total, scheduled_total


def _day_grids(habits: list[Habit], last_days: dict[int, date], days: int, values, skips, pauses):
    """(scheduled, done, excused) as habits x days arrays; column j is `days - 1 - j` days before the
    person's last day. Days before a habit's start are not scheduled."""
    count = len(habits)
    first_ordinal = np.array([last_days[h.user_id].toordinal() - days + 1 for h in habits])
    ordinals = first_ordinal[:, None] + np.arange(days)[None, :]
    done = np.zeros((count, days), dtype=bool)
    excused = np.zeros((count, days), dtype=bool)
    scheduled = np.zeros((count, days), dtype=bool)
    for row, habit in enumerate(habits):
        scheduled[row] = schedule.scheduled_mask(habit.schedule, int(first_ordinal[row]), days) & (ordinals[row] >= habit.start_date.toordinal())
        done_days = [day.toordinal() - first_ordinal[row] for day, value in values[habit.pk].items() if habit.meets_target(value)]
        done[row, [i for i in done_days if 0 <= i < days]] = True
        excused[row] = schedule.excused_mask(skips[habit.pk], pauses[habit.pk], int(first_ordinal[row]), days)
    return scheduled, done, excused
