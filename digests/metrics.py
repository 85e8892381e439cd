"""The product's success metrics for staff: one selector the page, the CSV and the `metrics` command share.

It lives in digests because digests is the one app that reads all the others (onboarding's
profiles, habits' check-ins, coaching's feedback, its own emails). Everything is aggregated in
the database or in pandas over one row per person; nothing loops over people in Python.

The window is a range of UTC calendar dates, both ends included. "Local day" is the person's own
day (their zone and day-start hour), as everywhere else in Cadence.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone as dt_timezone

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.db.models import Count, Func, IntegerField, OuterRef, Q, Subquery, Value

from coaching.models import EvaluationRun, InsightFeedback
from habits.models import CheckIn, Habit
from habits.pooled import EPOCH_ORDINAL
from habits.selectors import pooled_completion, rows_frame
from onboarding.models import CoachingProfile

from .models import DigestSend, SendStatus

DEFAULT_WINDOW_DAYS = 90
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)   # what a window may span
COMPLETION_DAYS = 30
RETENTION_WEEKS = 13    # columns of the retention table: weeks 0-12 since signup


@dataclass(frozen=True)
class Metric:
    key: str            # the JSON key of the `metrics` command
    label: str
    definition: str
    target: float
    is_fraction: bool = True


METRICS = (
    Metric("onboarding_completion", "Onboarding completion",
           "People who completed onboarding / people who started it, among those who started in the window", 0.85),
    Metric("digest_open_rate", "Digest open rate",
           "Digests with an opened event / digests delivered (sent, not bounced), sent in the window", 0.40),
    Metric("reached_day_14", "Reached day 14",
           "Of people who completed onboarding in the window at least 14 local days before its end: "
           "those with a check-in on local day 14 or later (day 0 = the day onboarding completed)", 0.70),
    Metric("reached_day_30", "Reached day 30", "The same with day 30", 0.60),
    Metric("coaching_helpful", "Coaching found helpful",
           '"Helpful" / all helpful-or-not answers given in the window', 0.75),
    Metric("active_habits_per_person", "Active habits per person",
           "Habits not archived / people who completed onboarding in the window", 3, is_fraction=False),
    Metric("completion_rate_30d", "30-day completion rate",
           "Scheduled habit-days done / scheduled habit-days, over the 30 local days before the window's last day "
           "(or before today), everyone who has completed onboarding", 0.65),
    Metric("pattern_detection", "Pattern detection quality",
           "The lower of precision and recall in the latest stored coaching evaluation (evaluate_coaching)", 0.80),
)
METRIC_KEYS = tuple(metric.key for metric in METRICS)


@dataclass(frozen=True)
class Window:
    since: date
    until: date

    @classmethod
    def ending(cls, today: date, days: int = DEFAULT_WINDOW_DAYS) -> "Window":
        return cls(today - timedelta(days=days - 1), today)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.since, time.min, tzinfo=dt_timezone.utc)

    @property
    def end(self) -> datetime:
        """The first instant after the window."""
        return datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=dt_timezone.utc)


def _share(numerator, denominator) -> float | None:
    return numerator / denominator if denominator else None


def _counted(numerator, denominator) -> dict:
    return {"numerator": numerator, "denominator": denominator}


def _local_days(frame: pd.DataFrame, instant_column: str) -> np.ndarray:
    """Each row's local date (datetime64[D]) of `instant_column` in its `timezone`, after its `day_start_hour`."""
    instants = pd.to_datetime(frame[instant_column], utc=True)
    result = np.empty(len(frame), dtype="datetime64[D]")
    zones, hours = frame["timezone"].to_numpy(), frame["day_start_hour"].to_numpy()
    for zone, hour in set(zip(zones, hours)):
        mine = (zones == zone) & (hours == hour)
        local = instants[mine].dt.tz_convert(zone).dt.tz_localize(None) - pd.Timedelta(hours=int(hour))
        result[mine] = local.to_numpy().astype("datetime64[D]")
    return result


def success_metrics(window: Window, now: datetime) -> dict:
    """Every metric as a fraction (or a ratio) or None when its denominator is 0, with `counts`."""
    counts = {}
    values = {}

    started = CoachingProfile.objects.filter(onboarding_started_at__gte=window.start, onboarding_started_at__lt=window.end)
    tally = started.aggregate(started=Count("pk"), completed=Count("pk", filter=Q(onboarding_completed_at__isnull=False)))
    counts["onboarding_completion"] = _counted(tally["completed"], tally["started"])

    delivered = DigestSend.objects.filter(
        sent_at__gte=window.start, sent_at__lt=window.end, status=SendStatus.SENT, includes_digest=True,
        bounced_at__isnull=True,
    ).aggregate(delivered=Count("pk"), opened=Count("pk", filter=Q(opened_at__isnull=False)))
    counts["digest_open_rate"] = _counted(delivered["opened"], delivered["delivered"])

    reached = _reached_days(window, (14, 30))
    counts["reached_day_14"] = reached[14]
    counts["reached_day_30"] = reached[30]

    answers = InsightFeedback.objects.filter(created_at__gte=window.start, created_at__lt=window.end).aggregate(
        answers=Count("pk"), helpful=Count("pk", filter=Q(helpful=True)))
    counts["coaching_helpful"] = _counted(answers["helpful"], answers["answers"])

    completed_in_window = CoachingProfile.objects.filter(
        onboarding_completed_at__gte=window.start, onboarding_completed_at__lt=window.end)
    people = completed_in_window.count()
    habits = Habit.objects.filter(user__coaching_profile__in=completed_in_window, archived_at__isnull=True).count()
    counts["active_habits_per_person"] = _counted(habits, people)

    last_days, onboarded = _last_closed_days(min(now, window.end))
    done, scheduled = pooled_completion(last_days, COMPLETION_DAYS, people=onboarded.values("user_id"))
    counts["completion_rate_30d"] = _counted(round(done, 2), round(scheduled, 2))

    evaluation = EvaluationRun.objects.first()
    if evaluation is None:
        counts["pattern_detection"] = {"precision": None, "recall": None, "ran_at": None}
        values["pattern_detection"] = None
    else:
        precision, recall = evaluation.precision, evaluation.recall
        counts["pattern_detection"] = {
            "precision": _counted(evaluation.true_positives, evaluation.true_positives + evaluation.false_positives),
            "recall": _counted(evaluation.true_positives, evaluation.true_positives + evaluation.false_negatives),
            "ran_at": evaluation.ran_at.isoformat(),
        }
        values["pattern_detection"] = None if precision is None or recall is None else min(precision, recall)

    for key, count in counts.items():
        if key != "pattern_detection":
            values[key] = _share(count["numerator"], count["denominator"])
    return {
        "window": {"since": window.since.isoformat(), "until": window.until.isoformat()},
        **{key: values[key] for key in METRIC_KEYS},
        "counts": counts,
    }


def _reached_days(window: Window, milestones: tuple[int, ...]) -> dict[int, dict]:
    """Per milestone N: people who completed onboarding in the window at least N local days before its
    end, and those of them with a check-in on local day N or later."""
    completed = CoachingProfile.objects.filter(
        onboarding_completed_at__gte=window.start, onboarding_completed_at__lt=window.end)
    # The latest check-in per person by an index seek each (a grouped MAX would read every check-in).
    latest = CheckIn.objects.filter(user_id=OuterRef("user_id")).order_by("-local_date").values("local_date")[:1]
    people = rows_frame(completed.annotate(last=Subquery(latest)),
                        "user_id", "onboarding_completed_at", "timezone", "day_start_hour", "last")
    if people.empty:
        return {n: _counted(0, 0) for n in milestones}
    day_zero = _local_days(people, "onboarding_completed_at")
    people["window_end"] = window.end - timedelta(microseconds=1)
    days_in = (_local_days(people, "window_end") - day_zero).astype(np.int64)
    last = pd.to_datetime(people["last"]).to_numpy().astype("datetime64[D]")
    checked_on = np.where(np.isnat(last), -1, (last - day_zero).astype(np.int64))
    result = {}
    for n in milestones:
        eligible = days_in >= n
        result[n] = _counted(int((eligible & (checked_on >= n)).sum()), int(eligible.sum()))
    return result


def _last_closed_days(instant: datetime):
    """Everyone onboarded by `instant` (user id -> the local day before the one `instant` falls on),
    and the same people as a queryset."""
    onboarded = CoachingProfile.objects.filter(onboarding_completed_at__lt=instant)
    people = rows_frame(onboarded, "user_id", "timezone", "day_start_hour")
    if people.empty:
        return {}, onboarded
    people["instant"] = instant
    yesterday = (_local_days(people, "instant") - np.timedelta64(1, "D")).astype(np.int64) + EPOCH_ORDINAL
    return dict(zip(people["user_id"].tolist(), map(date.fromordinal, yesterday.tolist()))), onboarded


@dataclass(frozen=True)
class Retention:
    """Weekly signup cohorts: `rows` are (cohort Monday, cohort size, [share per week since signup or None])."""

    weeks: int
    rows: list

    @property
    def curve(self) -> list[float | None]:
        """Share of all cohorts' people active in week k, among cohorts old enough to have a week k."""
        curve = []
        for week in range(self.weeks):
            reached = [(size, shares[week]) for _, size, shares in self.rows if shares[week] is not None]
            people = sum(size for size, _ in reached)
            curve.append(sum(size * share for size, share in reached) / people if people else None)
        return curve


class WeeksSince(Func):
    """Whole weeks from `since` (a date) to a date or UTC datetime column, counted in the database."""

    output_field = IntegerField()

    def __init__(self, expression, since: date):
        super().__init__(expression, Value(since.isoformat()))

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST((julianday(%(expressions)s)) / 7 AS INTEGER)",
                           arg_joiner=") - julianday(", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="FLOOR(((%(expressions)s)::date) / 7.0)::integer",
                           arg_joiner=")::date - (", **extra)


def retention(window: Window, now: datetime, weeks: int = RETENTION_WEEKS) -> Retention:
    """Cohorts by the Monday (UTC) of the week people signed up in; week k = calendar weeks since that
    Monday, by the check-in's local date. The database lists the weeks each person was active in."""
    first_monday = window.since - timedelta(days=window.since.weekday())
    mondays = []
    monday = first_monday
    while monday <= window.until:
        mondays.append(monday)
        monday += timedelta(days=7)
    today = now.date()
    joined = get_user_model().objects.filter(date_joined__gte=window.start, date_joined__lt=window.end)
    people = rows_frame(joined.annotate(cohort=WeeksSince("date_joined", first_monday)), "id", "cohort")
    weeks_active = rows_frame(
        CheckIn.objects.filter(user_id__in=joined.values("pk"), local_date__gte=first_monday)
        .annotate(week=WeeksSince("local_date", first_monday)).values("user_id", "week").distinct(), "user_id", "week")
    sizes = people["cohort"].value_counts().to_dict()
    cohorts = people.set_index("id")["cohort"]
    weeks_active["cohort"] = weeks_active["user_id"].map(cohorts).to_numpy()
    active = weeks_active.groupby(["cohort", "week"]).size().to_dict()
    rows = []
    for index, day in enumerate(mondays):
        shares = []
        for since_signup in range(weeks):
            week_start = day + timedelta(days=7 * since_signup)
            if week_start > today or not sizes.get(index):
                shares.append(None)
            else:
                shares.append(active.get((index, index + since_signup), 0) / sizes[index])
        rows.append((day, int(sizes.get(index, 0)), shares))
    return Retention(weeks=weeks, rows=rows)
