"""The product's success metrics for staff: one selector the page, the CSV and the `metrics` command share.

It lives in digests because digests is the one app that reads all the others (onboarding's
profiles, habits' check-ins, coaching's feedback, its own emails). Everything is aggregated in
the database or in pandas over one row per person; nothing loops over people in Python.

The window is a range of UTC calendar dates, both ends included. "Local day" is the person's own
day (their zone and day-start hour), as everywhere else in Cadence.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone as dt_timezone

import pandas as pd
from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When

from coaching.models import EvaluationRun, InsightFeedback
from habits.models import CheckIn, Habit
from habits.selectors import pooled_completion
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


def _local_days(frame: pd.DataFrame, instant_column: str) -> pd.Series:
    """Each row's local date of `instant_column` in its `timezone`, after its `day_start_hour`."""
    result = pd.Series(pd.NaT, index=frame.index, dtype="object")
    instants = pd.to_datetime(frame[instant_column], utc=True)
    for (zone, start_hour), rows in frame.groupby(["timezone", "day_start_hour"]).groups.items():
        local = instants.loc[rows].dt.tz_convert(zone) - pd.Timedelta(hours=int(start_hour))
        result.loc[rows] = local.dt.date
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

    done, scheduled = pooled_completion(_last_closed_days(min(now, window.end)), COMPLETION_DAYS)
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
    people = pd.DataFrame.from_records(
        completed.values("user_id", "onboarding_completed_at", "timezone", "day_start_hour"),
        columns=["user_id", "onboarding_completed_at", "timezone", "day_start_hour"])
    if people.empty:
        return {n: _counted(0, 0) for n in milestones}
    people["day_zero"] = _local_days(people, "onboarding_completed_at")
    people["window_end"] = window.end - timedelta(microseconds=1)
    people["last_day"] = _local_days(people, "window_end")
    last_check_in = pd.DataFrame.from_records(
        CheckIn.objects.filter(user__coaching_profile__in=completed).values("user_id").annotate(last=Max("local_date")),
        columns=["user_id", "last"])
    people = people.merge(last_check_in, on="user_id", how="left")
    days_in = (pd.to_datetime(people["last_day"]) - pd.to_datetime(people["day_zero"])).dt.days
    checked_on = (pd.to_datetime(people["last"]) - pd.to_datetime(people["day_zero"])).dt.days
    result = {}
    for n in milestones:
        eligible = days_in >= n
        result[n] = _counted(int((eligible & (checked_on >= n)).sum()), int(eligible.sum()))
    return result


def _last_closed_days(instant: datetime) -> dict[int, date]:
    """Everyone onboarded by `instant`: user id -> the local day before the one `instant` falls on."""
    onboarded = CoachingProfile.objects.filter(onboarding_completed_at__lt=instant)
    people = pd.DataFrame.from_records(onboarded.values("user_id", "timezone", "day_start_hour"),
                                       columns=["user_id", "timezone", "day_start_hour"])
    if people.empty:
        return {}
    people["instant"] = instant
    yesterday = pd.to_datetime(_local_days(people, "instant")) - pd.Timedelta(days=1)
    return dict(zip(people["user_id"].tolist(), yesterday.dt.date.tolist()))


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


def retention(window: Window, now: datetime, weeks: int = RETENTION_WEEKS) -> Retention:
    """Cohorts by the Monday (UTC) of the week people signed up in; week k = calendar weeks since that
    Monday, by the check-in's local date. One query groups check-ins by (cohort, week)."""
    first_monday = window.since - timedelta(days=window.since.weekday())
    mondays = []
    monday = first_monday
    while monday <= window.until:
        mondays.append(monday)
        monday += timedelta(days=7)
    today = now.date()
    people = Q(user__date_joined__gte=window.start, user__date_joined__lt=window.end)
    cohort = Case(*[
        When(user__date_joined__gte=_utc(day), user__date_joined__lt=_utc(day + timedelta(days=7)), then=Value(index))
        for index, day in enumerate(mondays)
    ], output_field=IntegerField())
    week = Case(*[
        When(local_date__gte=first_monday + timedelta(days=7 * index),
             local_date__lt=first_monday + timedelta(days=7 * (index + 1)), then=Value(index))
        for index in range(len(mondays) + weeks)
    ], output_field=IntegerField())
    active = {
        (row["cohort"], row["week"]): row["people"]
        for row in CheckIn.objects.filter(people, local_date__gte=first_monday)
        .annotate(cohort=cohort, week=week).values("cohort", "week").annotate(people=Count("user", distinct=True))
        if row["cohort"] is not None and row["week"] is not None
    }
    sizes = dict.fromkeys(range(len(mondays)), 0)
    joined = get_user_model().objects.filter(date_joined__gte=window.start, date_joined__lt=window.end)
    for row in joined.annotate(cohort=Case(*[
        When(date_joined__gte=_utc(day), date_joined__lt=_utc(day + timedelta(days=7)), then=Value(index))
        for index, day in enumerate(mondays)
    ], output_field=IntegerField())).values("cohort").annotate(people=Count("pk")):
        sizes[row["cohort"]] = row["people"]
    rows = []
    for index, day in enumerate(mondays):
        shares = []
        for since_signup in range(weeks):
            week_start = day + timedelta(days=7 * since_signup)
            if week_start > today or not sizes[index]:
                shares.append(None)
            else:
                shares.append(active.get((index, index + since_signup), 0) / sizes[index])
        rows.append((day, sizes[index], shares))
    return Retention(weeks=weeks, rows=rows)


def _utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=dt_timezone.utc)

