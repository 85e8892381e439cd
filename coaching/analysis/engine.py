"""The entry points: one person's check-ins, habits and answers in, an `Analysis` out.

Pure: no database, no clock (`today` is the person's local date, passed in). Nothing here raises
on odd data: no check-ins, a habit created today, check-ins outside the habit's life, unknown
times or absurd values all give a sensible, smaller analysis.
"""

from datetime import date

import numpy as np
import pandas as pd

from habits import stats

from . import kinds
from .detectors import Finding, detect, goal_gaps
from .inputs import CheckinArrays, HabitInput, ProfileInput
from .recommend import Context, recommendations, starter, strengths_and_challenges, to_recommendations
from .results import Analysis, HabitSummary, Insight
from .series import HabitSeries, build_series
from .wording import insight_text

ACTIVATION_DAY = 14
ACTIVATION_CHECK_INS = 7


def analyse(
    checkins: pd.DataFrame | None,
    habits: list[HabitInput],
    profile: ProfileInput,
    today: date,
    kind_weights: dict[str, float] | None = None,
) -> Analysis:
    """`checkins` has columns habit_id, local_date, minutes (local minute of day, NaN if unknown), value."""
    return analyse_arrays(CheckinArrays.from_frame(checkins), habits, profile, today, kind_weights)


def analyse_arrays(
    checkins: CheckinArrays,
    habits: list[HabitInput],
    profile: ProfileInput,
    today: date,
    kind_weights: dict[str, float] | None = None,
) -> Analysis:
    """The same analysis from check-ins already held as arrays (what the cohort path uses)."""
    weights = kind_weights or {}
    today_ordinal = today.toordinal()
    series_list = _series(checkins, habits, today_ordinal)
    days_of_data, check_ins = _activity(series_list, today_ordinal)
    summaries = {s.habit.id: _summary(s, today) for s in series_list}
    main = _main(series_list, profile)
    active = days_of_data >= ACTIVATION_DAY and check_ins >= ACTIVATION_CHECK_INS

    if not active:
        goal_findings = goal_gaps(habits, profile)
        advice = starter(profile, main.habit if main else None, goal_findings, days_of_data, check_ins, weights)
        return Analysis(
            active=False,
            days_of_data=days_of_data,
            habits=list(summaries.values()),
            insights=[_insight(f, profile.tone) for f in goal_findings],
            recommendations=to_recommendations(advice, profile.tone),
            strengths=[f"{_count(check_ins, 'check-in')} in your first {_count(days_of_data, 'day')}"] if check_ins else [],
            challenges=[],
        )

    findings = detect(series_list, summaries, profile, main)
    context = _context(findings, summaries, profile)
    advice = recommendations(findings, context, weights)
    if len(advice) < 3:
        extra = starter(profile, main.habit if main else None, [], days_of_data, check_ins, weights, progress=False)
        advice += extra[: 3 - len(advice)]
    strengths, challenges = strengths_and_challenges(findings, list(summaries.values()), {h.id: h for h in habits})
    return Analysis(
        active=True,
        days_of_data=days_of_data,
        habits=list(summaries.values()),
        insights=[_insight(f, profile.tone) for f in findings],
        recommendations=to_recommendations(advice, profile.tone),
        strengths=strengths,
        challenges=challenges,
    )


def _series(checkins: CheckinArrays, habits: list[HabitInput], today: int) -> list[HabitSeries]:
    valid = (checkins.day > 0) & (checkins.day <= today) if len(checkins) else np.zeros(0, dtype=bool)
    series_list = []
    for habit in habits:
        mine = valid & (checkins.habit_id == habit.id) if len(checkins) else valid
        series_list.append(build_series(habit, checkins.day[mine], checkins.minutes[mine], checkins.value[mine], today))
    return series_list


def _activity(series_list: list[HabitSeries], today: int) -> tuple[int, int]:
    """(day number of today counting the first check-in as day 1, number of days with a check-in per habit)."""
    first, count = None, 0
    for s in series_list:
        checked = np.flatnonzero(s.checked_in)
        if len(checked):
            count += len(checked)
            first = min(first, s.first + int(checked[0])) if first is not None else s.first + int(checked[0])
    return (today - first + 1 if first is not None else 0), count


def _summary(series: HabitSeries, today: date) -> HabitSummary:
    history = series.history
    rate = stats.completion_rate(history, today, days=30)
    return HabitSummary(
        habit_id=series.habit.id,
        name=series.habit.name,
        strength=stats.strength(history, today),
        current_streak=stats.current_streak(history, today),
        best_streak=stats.best_streak(history, today),
        completion_rate_30d=None if rate is None else round(rate, 3),
    )


def _main(series_list: list[HabitSeries], profile: ProfileInput) -> HabitSeries | None:
    """The habit the person named as their main one in onboarding (flagged, else matched by name)."""
    flagged = [s for s in series_list if s.habit.is_main]
    if flagged:
        return flagged[0]
    wanted = profile.main_habit.strip().casefold()
    return next((s for s in series_list if wanted and s.habit.name.strip().casefold() == wanted), None)


def _context(findings: list[Finding], summaries: dict, profile: ProfileInput) -> Context:
    anchors = {f.habit.id: f for f in findings if f.kind == kinds.TIME_ANCHOR}
    habit_times = {}
    for summary_id in summaries:
        if summary_id in anchors:
            habit_times[summary_id] = anchors[summary_id].evidence["typical_time"]
    weak, seen = [], set()
    needs_help = [f for f in findings if f.kind in (kinds.STRUGGLING_HABIT, kinds.DECLINING_TREND, kinds.MAIN_HABIT_LAGGING)]
    for f in sorted(needs_help, key=lambda f: summaries[f.habit.id].completion_rate_30d or 0):
        if f.habit.id not in seen:
            weak.append((f.habit, f.kind))
            seen.add(f.habit.id)
    return Context(profile=profile, summaries=summaries, habit_times=habit_times, anchors=anchors, weak=weak)


def _insight(finding: Finding, tone: str) -> Insight:
    title, body = insight_text(finding, tone)
    return Insight(
        kind=finding.kind,
        habit_id=finding.habit.id if finding.habit else None,
        habit_name=finding.habit.name if finding.habit else None,
        confidence=finding.confidence,
        title=title,
        body=body,
        evidence=finding.evidence,
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
