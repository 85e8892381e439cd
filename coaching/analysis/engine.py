"""The entry points: one person's check-ins, habits and answers in, an `Analysis` out.

Pure: no database, no clock (`today` is the person's local date, passed in). Nothing here raises
on odd data: no check-ins, a habit created today, check-ins outside the habit's life, unknown
times or absurd values all give a sensible, smaller analysis.
"""

from datetime import date, timedelta

import numpy as np
import pandas as pd

from habits import stats

from . import kinds
from .detectors import Finding, detect, goal_gaps, timing
from .inputs import CheckinArrays, HabitInput, ProfileInput
from .recommend import Context, from_findings, grounded, standing, streak_notes, to_recommendations, top_five
from .results import Analysis, HabitSummary, Insight
from .series import HabitSeries, build_series
from .significance import clock
from .wording import count

ACTIVATION_DAY = 14         # pattern coaching starts on the person's 14th local day since the first check-in...
ACTIVATION_CHECK_INS = 7    # ...with at least this many check-ins: two weeks is the shortest run a weekday shows twice


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
    figures = {s.habit.id: stats.fold(s.history, today, keep_before=today - timedelta(days=1)) for s in series_list}
    summaries = {s.habit.id: _summary(s, figures[s.habit.id], today) for s in series_list}
    main = _main(series_list, profile)
    active = days_of_data >= ACTIVATION_DAY and check_ins >= ACTIVATION_CHECK_INS

    if active:
        findings = detect(series_list, summaries, profile, main)
        goal_findings = []
    else:
        findings = goal_findings = goal_gaps(habits, profile)
    context = _context(findings, series_list, series_list if active else [], summaries, figures, profile, main, today)
    from_data = from_findings(findings, context, weights) if active else []
    from_you = grounded(context, active=active, days_of_data=days_of_data, check_ins=check_ins,
                        goal_findings=goal_findings, activation=(ACTIVATION_DAY, ACTIVATION_CHECK_INS))
    insights = [_insight(f, profile.tone) for f in findings]
    if active:
        notes = streak_notes(list(summaries.values()), {h.id: h for h in habits})
    else:
        notes = [(None, f"{count(check_ins, 'check-in')} in your first {count(days_of_data, 'day')}")] if check_ins else []
    strengths, challenges = standing(insights, notes)
    return Analysis(
        active=active,
        days_of_data=days_of_data,
        habits=list(summaries.values()),
        insights=insights,
        recommendations=to_recommendations(top_five(from_data, from_you), profile.tone),
        strengths=strengths,
        challenges=challenges,
        strength_notes=notes,
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
    first, total = None, 0
    for s in series_list:
        checked = np.flatnonzero(s.checked_in)
        if len(checked):
            total += len(checked)
            first = min(first, s.first + int(checked[0])) if first is not None else s.first + int(checked[0])
    return (today - first + 1 if first is not None else 0), total


def _summary(series: HabitSeries, figures: stats.Figures, today: date) -> HabitSummary:
    rate = stats.completion_rate(series.history, today, days=30)
    return HabitSummary(
        habit_id=series.habit.id,
        name=series.habit.name,
        strength=round(figures.strength * 100),
        current_streak=figures.current_streak,
        best_streak=figures.best_streak,
        completion_rate_30d=None if rate is None else round(rate, 3),
        rate_days=max(1, min(30, (today - series.history.start).days + 1)),
    )


def _main(series_list: list[HabitSeries], profile: ProfileInput) -> HabitSeries | None:
    """The habit the person named as their main one in onboarding (flagged, else matched by name)."""
    flagged = [s for s in series_list if s.habit.is_main]
    if flagged:
        return flagged[0]
    wanted = profile.main_habit.strip().casefold()
    return next((s for s in series_list if wanted and s.habit.name.strip().casefold() == wanted), None)


def _context(findings: list[Finding], series_list: list[HabitSeries], timed_series: list[HabitSeries], summaries: dict,
             figures: dict, profile: ProfileInput, main: HabitSeries | None, today: date) -> Context:
    """`timed_series` are the habits whose usual check-in time advice may quote (none before activation: a few
    days of check-ins are no "usually")."""
    anchors = {f.habit.id: f for f in findings if f.kind == kinds.TIME_ANCHOR}
    usual = {s.habit.id: clock(t.centre) for s in timed_series if (t := timing(s)) is not None}
    return Context(
        profile=profile, summaries=summaries, habits={s.habit.id: s.habit for s in series_list},
        histories={s.habit.id: s.history for s in series_list},
        checkpoints={habit_id: f.checkpoint for habit_id, f in figures.items()},
        habit_times={habit_id: f.evidence["typical_time"] for habit_id, f in anchors.items()},
        anchors=anchors, today=today, main=main.habit if main else None, usual_times=usual,
    )


def _insight(finding: Finding, tone: str) -> Insight:
    entry = kinds.kind(finding.kind)
    said = kinds.Said(finding.evidence, finding.habit.name if finding.habit else "", finding.habit, tone)
    return Insight(
        kind=finding.kind,
        habit_id=finding.habit.id if finding.habit else None,
        habit_name=finding.habit.name if finding.habit else None,
        confidence=finding.confidence,
        title=entry.title(said),
        body=entry.body(said),
        evidence=finding.evidence,
    )
