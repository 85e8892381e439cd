"""Writes for coaching: run the pure analysis for due people, store every result, feedback."""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from habits.days import day_bounds, today_for
from habits.models import CheckIn, Habit
from habits.selectors import excused_days
from onboarding.models import CoachingProfile

from . import selectors
from .analysis.engine import ACTIVATION_DAY
from .models import (
    AnalysisRun,
    CoachingInsight,
    CoachingState,
    InsightFeedback,
    Recommendation,
)

logger = logging.getLogger("cadence.coaching")

HISTORY_DAYS = 365
BATCH_SIZE = 500
REANALYSIS_INTERVAL = timedelta(days=7)
# A claimed person is not due again for this long: long enough for any batch, short enough that a
# worker that died mid-batch costs its people at most one hour's sweep.
ANALYSIS_LEASE = timedelta(minutes=30)


def insight_feedback(*, insight: CoachingInsight, helpful: bool) -> InsightFeedback:
    feedback, _ = InsightFeedback.objects.update_or_create(
        user=insight.user, insight=insight, defaults={"helpful": helpful, "kind": insight.kind}
    )
    return feedback


def coaching_state_ensure(*, user_ids, now: datetime) -> None:
    """Everyone onboarded gets a place in the analysis queue, due now."""
    existing = set(CoachingState.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    CoachingState.objects.bulk_create(
        [CoachingState(user_id=uid, next_analysis_at=now) for uid in user_ids if uid not in existing],
        batch_size=1000, ignore_conflicts=True,
    )


def _load_batch(user_ids, now):
    """Everything the analysis needs for a batch of people, in six queries."""
    profiles = {p.user_id: p for p in CoachingProfile.objects.filter(user_id__in=user_ids).select_related("user")}
    todays = {uid: today_for(p, now) for uid, p in profiles.items()}
    earliest = min(todays.values(), default=now.date()) - timedelta(days=HISTORY_DAYS)
    habits = defaultdict(list)
    for habit in Habit.objects.filter(user_id__in=user_ids, archived_at__isnull=True).order_by("user_id", "position", "id"):
        habits[habit.user_id].append(habit)
    rows = defaultdict(list)
    checkins = CheckIn.objects.filter(user_id__in=user_ids, local_date__gte=earliest).values_list(
        "user_id", "habit_id", "local_date", "completed_at", "utc_offset_minutes", "time_known", "value"
    )
    for user_id, habit_id, local_date, completed_at, offset, time_known, value in checkins:
        # The offset stored with the check-in gives its local clock time without a zone lookup.
        minutes = (completed_at.hour * 60 + completed_at.minute + offset) % 1440 if time_known else None
        rows[user_id].append((habit_id, local_date, minutes, value))
    skips, pauses = excused_days(user_ids=user_ids, since=earliest)
    return profiles, todays, habits, rows, skips, pauses, selectors.kind_weights_for(user_ids)


def _run_core(profile, today, habits, rows, skips, pauses, weights):
    from .adapter import analyse_for_profile

    return analyse_for_profile(
        profile=profile, today=today, habits=habits, rows=rows, skips=skips, pauses=pauses, kind_weights=weights
    )


def _next_analysis_at(profile, analysis, rows, now):
    if analysis.active:
        return now + REANALYSIS_INTERVAL
    first_day = min((r[1] for r in rows), default=None)
    if first_day is None:
        return now + timedelta(days=1)
    activation_start, _ = day_bounds(first_day + timedelta(days=ACTIVATION_DAY - 1), profile.timezone, profile.day_start_hour)
    if activation_start > now:
        return min(activation_start, now + REANALYSIS_INTERVAL)
    return now + timedelta(days=1)


@transaction.atomic
def _store_batch(results, now):
    """Keep every analysis of the batch, in a fixed number of queries: history stays, one run is current.

    The people's CoachingState rows are locked first, so two workers storing the same person's
    analysis take turns and the second one's update sees the first one's run: never two current runs."""
    user_ids = [profile.user_id for profile, _, _ in results]
    CoachingState.objects.bulk_create([CoachingState(user_id=uid) for uid in user_ids], ignore_conflicts=True)
    list(CoachingState.objects.select_for_update().filter(user_id__in=user_ids).order_by("user_id").values_list("pk"))
    AnalysisRun.objects.filter(user_id__in=user_ids, is_current=True).update(is_current=False)
    CoachingInsight.objects.filter(user_id__in=user_ids, is_current=True).update(is_current=False)
    Recommendation.objects.filter(user_id__in=user_ids, is_current=True).update(is_current=False)
    runs = AnalysisRun.objects.bulk_create([
        AnalysisRun(
            user_id=profile.user_id, generated_at=now, local_date=today, active=analysis.active,
            days_of_data=analysis.days_of_data, strengths=[list(note) for note in analysis.strength_notes],
            challenges=list(analysis.challenges),
        )
        for profile, today, analysis in results
    ])
    insights, recommendations = [], []
    for run, (profile, _, analysis) in zip(runs, results):
        insights += [
            CoachingInsight(
                user_id=run.user_id, run=run, habit_id=i.habit_id, habit_name=i.habit_name or "", kind=i.kind,
                title=i.title[:200], body=i.body, evidence=i.evidence, confidence=float(i.confidence), generated_at=now,
            )
            for i in analysis.insights
        ]
        recommendations += [
            Recommendation(
                user_id=run.user_id, run=run, habit_id=r.habit_id, habit_name=r.habit_name or "", rank=r.rank,
                text=r.text, based_on=list(r.based_on), generated_at=now,
            )
            for r in analysis.recommendations
        ]
    insights = CoachingInsight.objects.bulk_create(insights, batch_size=1000)
    recommendations = Recommendation.objects.bulk_create(recommendations, batch_size=1000)
    insights_by_run = defaultdict(list)
    for insight in insights:
        insights_by_run[insight.run_id].append(insight)
    links = [
        Recommendation.insights.through(recommendation_id=recommendation.pk, coachinginsight_id=insight.pk)
        for recommendation in recommendations
        for insight in insights_by_run[recommendation.run_id]
        if insight.kind in recommendation.based_on
        and (recommendation.habit_id is None or insight.habit_id in (None, recommendation.habit_id))
    ]
    Recommendation.insights.through.objects.bulk_create(links, batch_size=1000)


def _reschedule(results, rows, now):
    """Move each person's next analysis on; people sharing a date are updated together."""
    by_next_at = defaultdict(list)
    for profile, _, analysis in results:
        by_next_at[_next_analysis_at(profile, analysis, rows[profile.user_id], now)].append(profile.user_id)
    for next_at, ids in by_next_at.items():
        CoachingState.objects.filter(user_id__in=ids).update(next_analysis_at=next_at, last_analysis_at=now)
    active = [profile.user_id for profile, _, analysis in results if analysis.active]
    CoachingState.objects.filter(user_id__in=active, activated_at__isnull=True).update(activated_at=now)


def analyse_users(*, user_ids, now: datetime | None = None) -> int:
    """Analyse a batch of people and keep the results; one person's failure never stops the rest."""
    now = now or timezone.now()
    profiles, todays, habits, rows, skips, pauses, weights = _load_batch(user_ids, now)
    results, failed = [], []
    for user_id, profile in profiles.items():
        try:
            analysis = _run_core(
                profile, todays[user_id], habits[user_id], rows[user_id], skips, pauses, weights.get(user_id, {})
            )
        except Exception:
            logger.exception("Coaching analysis failed for user %s", user_id)
            failed.append(user_id)
            continue
        results.append((profile, todays[user_id], analysis))
    if results:
        _store_batch(results, now)
        _reschedule(results, rows, now)
    CoachingState.objects.filter(user_id__in=failed).update(next_analysis_at=now + timedelta(hours=6))
    return len(results)


def analyse_due_users(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """The hourly sweep: only people whose `next_analysis_at` has come are read."""
    now = now or timezone.now()
    total = 0
    while due := claim_due_analyses(now, batch_size):
        total += analyse_users(user_ids=due, now=now)
    return total


def claim_due_analyses(now: datetime, batch_size: int) -> list[int]:
    """A batch of due people that this sweep alone analyses: their next analysis moves a lease ahead
    in the claiming transaction, so a concurrent sweep on another worker skips them (and a sweep that
    dies leaves them due again when the lease ends)."""
    with transaction.atomic():
        due = list(
            CoachingState.objects.filter(next_analysis_at__lte=now).select_for_update(skip_locked=True)
            .order_by("next_analysis_at").values_list("user_id", flat=True)[:batch_size]
        )
        CoachingState.objects.filter(user_id__in=due).update(next_analysis_at=now + ANALYSIS_LEASE)
    return due


def analyse_user(*, user, now: datetime | None = None):
    analyse_users(user_ids=[user.pk], now=now)
    return selectors.current_run(user)


REVIEWERS_GROUP = "Coaching reviewers"
REVIEWER_PERMISSIONS = ("view_coachinginsight", "change_coachinginsight", "view_recommendation", "view_analysisrun")


def reviewer_grant(*, user) -> None:
    """Let a person review insights in the admin (approve, flag): staff, in the reviewers group,
    which holds only what the review needs."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="coaching", codename__in=REVIEWER_PERMISSIONS))
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(group)
