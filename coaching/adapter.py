"""From database rows to the pure core's inputs: the only place the two shapes meet."""

import numpy as np

from .analysis.inputs import CheckinArrays, HabitInput, ProfileInput


def profile_input(profile) -> ProfileInput:
    return ProfileInput(
        goals=tuple(profile.goals or ()), main_habit=profile.main_habit, obstacle=profile.obstacle or "other",
        chronotype=profile.chronotype or None, tone=profile.tone or "gentle", first_name=profile.user.first_name,
        main_habit_time=profile.main_habit_time.strftime("%H:%M") if profile.main_habit_time else None,
        obstacle_other=profile.obstacle_other or "", why_now=profile.why_now or "",
        success_factor=profile.success_factor or "",
    )


def habit_input(habit, skips, pauses) -> HabitInput:
    return HabitInput(
        id=habit.pk, name=habit.name, start=habit.start_date, schedule=habit.schedule, planned_time=habit.planned_time,
        is_main=habit.is_main, area=habit.area or None, skipped=frozenset(skips.get(habit.pk, ())),
        paused=tuple(pauses.get(habit.pk, ())), kind=habit.kind, target=habit.target, target_type=habit.target_type,
    )


def checkin_arrays(rows, habit_ids) -> CheckinArrays:
    """rows: (habit_id, local_date, local minute or None, value or None) for one person."""
    rows = [r for r in rows if r[0] in habit_ids]
    if not rows:
        return CheckinArrays.empty()
    return CheckinArrays(
        habit_id=np.array([r[0] for r in rows]),
        day=np.array([r[1].toordinal() for r in rows], dtype=np.int64),
        minutes=np.array([np.nan if r[2] is None else r[2] for r in rows], dtype=float),
        value=np.array([np.nan if r[3] is None else r[3] for r in rows], dtype=float),
    )


def analyse_for_profile(*, profile, today, habits, rows, skips, pauses, kind_weights):
    from .analysis import analyse_arrays

    habit_inputs = [habit_input(h, skips, pauses) for h in habits]
    checkins = checkin_arrays(rows, {h.pk for h in habits})
    return analyse_arrays(checkins, habit_inputs, profile_input(profile), today, kind_weights=kind_weights)
