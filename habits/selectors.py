"""Reads for habit pages, in a fixed number of queries whatever the history length."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from . import stats
from .models import CheckIn, Habit, Pause, Skip


@dataclass
class HabitView:
    """A habit with its history and the numbers the pages show about it."""

    habit: Habit
    history: stats.HabitHistory
    today: date
    values: dict = field(default_factory=dict)          # local_date -> value (None for yes/no)
    recent: dict = field(default_factory=dict)          # local_date -> CheckIn (last 8 days)

    @cached_property
    def current_streak(self):
        return stats.current_streak(self.history, self.today)

    @cached_property
    def best_streak(self):
        return stats.best_streak(self.history, self.today)

    @property
    def streak_unit(self):
        return stats.streak_unit(self.habit.schedule)

    @cached_property
    def strength_series(self):
        return stats.strength_series(self.history, self.today)

    @cached_property
    def strength(self):
        return round(self.strength_series[-1][1] * 100) if self.strength_series else 0

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
        return stats.is_excused(self.history, self.today) and not self.skipped_today

    @property
    def scheduled_today(self):
        return stats.is_scheduled(self.habit.schedule, self.today) and not self.paused_today

    @cached_property
    def rate_7(self):
        return stats.completion_rate(self.history, self.today, 7)

    @cached_property
    def rate_30(self):
        return stats.completion_rate(self.history, self.today, 30)

    @cached_property
    def rate_all(self):
        return stats.completion_rate(self.history, self.today)


def build_history(habit: Habit, values: dict, skipped, pauses) -> stats.HabitHistory:
    done = frozenset(day for day, value in values.items() if habit.meets_target(value))
    return stats.HabitHistory(
        schedule=habit.schedule,
        start=min([habit.start_date, *values.keys()]) if values else habit.start_date,
        done=done,
        skipped=frozenset(skipped),
        paused=tuple(pauses),
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


def habit_views(habits: list[Habit], today: date, recent_days: int = 8) -> list[HabitView]:
    """Histories for many habits in four queries."""
    ids = [h.pk for h in habits]
    values = defaultdict(dict)
    for habit_id, day, value in CheckIn.objects.filter(habit_id__in=ids).values_list("habit_id", "local_date", "value"):
        values[habit_id][day] = value
    skips, pauses = excused_days(habit_ids=ids)
    recent = defaultdict(dict)
    since = today - timedelta(days=recent_days)
    for checkin in CheckIn.objects.filter(habit_id__in=ids, local_date__gte=since):
        recent[checkin.habit_id][checkin.local_date] = checkin
    return [
        HabitView(
            habit=h, history=build_history(h, values[h.pk], skips[h.pk], pauses[h.pk]), today=today,
            values=values[h.pk], recent=recent[h.pk],
        )
        for h in habits
    ]


def active_habits(user):
    return list(Habit.objects.for_user(user).active())


def today_overview(user, today: date):
    views = habit_views(active_habits(user), today)
    due = [v for v in views if v.scheduled_today]
    other = [v for v in views if not v.scheduled_today]
    done = sum(1 for v in due if v.done_today)
    return {"due": due, "other": other, "done_count": done, "due_count": len(due)}


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
