"""Reads for habit pages, in a fixed number of queries whatever the history length."""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import pandas as pd
from django.db import connections
import numpy as np
from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Count, DateField, F, Min, Q
from django.db.models.functions import Cast

from . import analytics, pooled, schedule, services, stats
from .models import MAX_PERIOD_DAYS, CheckIn, Habit, HabitCheckpoint, HabitKind, Pause, ScheduleKind, Skip, TargetType
from .schedule import HabitHistory


STREAK_CHECKPOINT_LAG = timedelta(days=40)   # checkpoints sit this far back, so pages still draw 30 days of strength
CHECKPOINT_REFRESH_AFTER = timedelta(days=120)  # older checkpoints are moved forward on the next read


@dataclass(frozen=True)
class StripDay:
    """One day of Today's seven-day strip."""

    day: date
    state: str           # stats.day_state's name: for styling only, never shown
    words: str           # the state in words
    can_check_in: bool   # tapping it checks the day in, or undoes a done day


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
    def streak_units(self):
        return self.habit.schedule.streak_units

    @property
    def streak_words(self):
        return self.habit.schedule.streak_words(self.current_streak)

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
    def strip(self) -> list[StripDay]:
        """The last seven days for Today. A yes/no habit's past days can be tapped wherever the
        check-in service accepts them; today has its own button, and measurable days need a value."""
        tappable = not self.habit.is_measurable
        return [
            StripDay(
                day=day, state=state, words=stats.DAY_STATE_WORDS[state],
                can_check_in=tappable and day != self.today
                and services.checkin_refusal(habit=self.habit, day=day, today=self.today) is None,
            )
            for day, state in self.week
        ]

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

    @cached_property
    def due_today(self):
        """Whether the habit counts in today's "N of M done": `schedule.is_due` decides, so a
        flexible habit whose period is already met, and a skipped or paused one, do not."""
        return schedule.is_due(self.history, self.today)

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
    """Today's list (due habits, and those skipped today, which stay where they were) and the
    rest, with the "N of M done" counted over the due ones only."""
    views = habit_views(active_habits(user), today)
    listed = [v for v in views if v.due_today or v.skipped_today]
    other = [v for v in views if not (v.due_today or v.skipped_today)]
    due = [v for v in views if v.due_today]
    return {"due": listed, "other": other, "done_count": sum(1 for v in due if v.done_today), "due_count": len(due)}


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
    from .automaticity import next_check_day, project
    from .models import AutomaticityCheck

    checks = list(AutomaticityCheck.objects.filter(habit=habit))
    points = [((c.local_date - habit.start_date).days, c.score) for c in checks]
    next_due = next_check_day(habit.start_date, checks[-1].local_date if checks else None)
    return {
        "checks": checks,
        "projection": project(points),
        "due": today >= next_due,
        "days_since_start": (today - habit.start_date).days,
        "next_due": next_due,
    }


def pooled_completion(last_days: dict[int, date], days: int = 30, people=None) -> tuple[float, float]:
    """(done, scheduled) habit-days of everyone in `last_days` (user id -> the last local day to
    count, e.g. their yesterday), over the `days` days ending there, pooled over their habits that
    are not archived: each habit as `stats.completion_counts` counts it (`habits.pooled` does the
    sums as arrays). `people`, the same people as a queryset of user ids, keeps the queries short.

    Daily habits with no skip or pause in reach are counted in the database; the rest (weekday and
    flexible schedules, excused days) come back day by day. Six queries whatever the numbers."""
    if not last_days:
        return 0.0, 0.0
    people = list(last_days) if people is None else people
    in_scope = {"habit__user_id__in": people, "habit__archived_at__isnull": True}
    lasts = sorted(set(last_days.values()))
    window_low = lasts[0] - timedelta(days=days - 1)
    skips = rows_frame(Skip.objects.filter(local_date__gte=window_low - timedelta(days=MAX_PERIOD_DAYS), **in_scope),
                       "habit_id", "local_date")
    pauses = rows_frame(Pause.objects.filter(**in_scope), "habit_id", "start", "end")
    excused = set(skips["habit_id"]) | set(pauses["habit_id"])

    habits = rows_frame(Habit.objects.filter(user_id__in=people, archived_at__isnull=True),
                        "id", "user_id", "start_date", "schedule_kind", "weekdays", "frequency_numerator",
                        "frequency_denominator", "kind", "target", "target_type")
    if habits.empty:
        return 0.0, 0.0
    habits = habits.rename(columns={"id": "habit_id", "weekdays": "weekday_list", "frequency_numerator": "numerator",
                                    "frequency_denominator": "denominator"})
    # A habit's life starts at its first check-in when that came before its start date (imports).
    early = dict(CheckIn.objects.filter(local_date__lt=F("habit__start_date"), **in_scope)
                 .values("habit_id").annotate(first=Min("local_date")).values_list("habit_id", "first"))
    habits["start"] = pooled.ordinals(habits["start_date"])
    if early:
        first = pd.Series({habit_id: day.toordinal() for habit_id, day in early.items()})
        habits["start"] = np.minimum(habits["start"], habits["habit_id"].map(first).fillna(habits["start"]).astype(np.int64))
    habits["last"] = habits["user_id"].map({user: day.toordinal() for user, day in last_days.items()})
    # Done days of daily habits, counted in the database for each last day people have.
    met = Q(habit__kind=HabitKind.BOOLEAN) | Q(habit__target__isnull=True) \
        | Q(habit__target_type=TargetType.AT_LEAST, value__gte=F("habit__target")) \
        | Q(habit__target_type=TargetType.AT_MOST, value__lte=F("habit__target"))
    windows = {f"done_{last:%Y%m%d}": Count("pk", filter=met & Q(local_date__range=(last - timedelta(days=days - 1), last)))
               for last in lasts}
    day_by_day = Q(habit__schedule_kind=ScheduleKind.DAILY) & ~Q(habit_id__in=excused)
    done = rows_frame(CheckIn.objects.filter(day_by_day, local_date__gte=window_low, local_date__lte=lasts[-1], **in_scope)
                      .values("habit_id").annotate(**windows), "habit_id", *windows)
    habits = habits.merge(done, on="habit_id", how="left").fillna({name: 0 for name in windows})
    habits["done"] = _pick(habits, {last.toordinal(): name for last, name in zip(lasts, windows)})
    _describe_schedules(habits)
    plain = (habits["schedule_kind"] == ScheduleKind.DAILY) & ~habits["habit_id"].isin(excused)

    low = window_low - timedelta(days=pooled.period_reach(habits[habits["period_days"] > 1]))
    by_period = Q(habit__schedule_kind=ScheduleKind.FREQUENCY)
    check_ins = rows_frame(CheckIn.objects.filter(~day_by_day, Q(local_date__gte=window_low) | (by_period & Q(local_date__gte=low)),
                                                  **in_scope), "habit_id", "local_date", "value")
    check_ins["day"] = pooled.ordinals(check_ins["local_date"])
    check_ins["value"] = check_ins["value"].astype(float)
    skips["day"] = pooled.ordinals(skips["local_date"])
    pauses["start"] = pooled.ordinals(pauses["start"])
    pauses["end"] = pd.Series(pooled.ordinals(pauses["end"].fillna("1970-01-01")), dtype=float).where(
        pauses["end"].notna().to_numpy())
    return pooled.pooled_counts(habits[~plain], check_ins, skips, pauses, days, plain=habits[plain])


def _pick(frame: pd.DataFrame, by_last: dict[int, str]) -> np.ndarray:
    """Each row's count from the column of its own last day."""
    picked = np.zeros(len(frame))
    for last, column in by_last.items():
        mine = (frame["last"] == last).to_numpy()
        picked[mine] = frame[column].to_numpy()[mine]
    return picked


def _describe_schedules(habits: pd.DataFrame):
    """Adds the schedule columns `habits.pooled` reads, from the model's own `schedule` (once per kind of schedule)."""
    key_columns = ["schedule_kind", "weekday_list", "numerator", "denominator"]
    habits["weekday_list"] = habits["weekday_list"].map(lambda w: w if isinstance(w, str) else json.dumps(w))
    kinds = habits[key_columns].drop_duplicates()
    described = []
    for kind, weekdays, numerator, denominator in kinds.itertuples(index=False):
        schedule = Habit(schedule_kind=kind, weekdays=json.loads(weekdays) or [], frequency_numerator=numerator,
                         frequency_denominator=denominator).schedule
        described.append((sum(1 << day for day in schedule.weekdays) or 127, schedule.times, schedule.days))
    kinds[["weekdays", "times", "period_days"]] = described
    merged = habits[key_columns].merge(kinds, on=key_columns, how="left")
    for column in ("weekdays", "times", "period_days"):
        habits[column] = merged[column].to_numpy()
    habits["measured"] = (habits["kind"] == HabitKind.MEASURABLE) & habits["target"].notna()
    habits["at_most"] = habits["target_type"] == TargetType.AT_MOST


def rows_frame(queryset, *fields) -> pd.DataFrame:
    """The rows of `queryset.values_list(*fields)` straight from the driver (no per-row model
    conversion: dates may come back as ISO strings), for the array code in `habits.pooled`."""
    # Dates as text: a plain date column would go through the driver's per-value converter.
    as_text = {field: Cast(field, CharField()) for field in fields if _is_date(queryset.model, field)}
    rows = queryset.order_by().annotate(**{f"{field}_text": value for field, value in as_text.items()}).values_list(
        *[f"{field}_text" if field in as_text else field for field in fields])
    sql, params = rows.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return pd.DataFrame(cursor.fetchall(), columns=list(fields))


def _is_date(model, name: str) -> bool:
    try:
        return isinstance(model._meta.get_field(name), DateField)
    except FieldDoesNotExist:
        return False
