"""Small builders for the analysis tests: habits, check-in rows and a one-call run."""

from datetime import date, time, timedelta

import numpy as np
import pandas as pd

from coaching.analysis import HabitInput, ProfileInput, analyse

TODAY = date(2025, 6, 29)  # a Sunday


def first_day(days: int) -> date:
    """The first of `days` days of history ending today."""
    return TODAY - timedelta(days=days - 1)


def habit(habit_id, days=28, name=None, **fields) -> HabitInput:
    return HabitInput(id=habit_id, name=name or str(habit_id).title(), start=first_day(days), **fields)


def rows(habit_id, days=28, done=lambda day, i: True, minutes=lambda day, i: 420.0, value=lambda day, i: np.nan):
    """Check-in rows for the last `days` days: done(day, index) says whether that day has one."""
    out = []
    for i in range(days):
        day = first_day(days) + timedelta(days=i)
        if done(day, i):
            out.append((habit_id, day, minutes(day, i), value(day, i)))
    return out


def frame(*row_lists) -> pd.DataFrame:
    data = [row for row_list in row_lists for row in row_list]
    return pd.DataFrame(data, columns=["habit_id", "local_date", "minutes", "value"])


def run(checkins, habits, today=TODAY, kind_weights=None, **profile):
    profile.setdefault("tone", "direct")
    return analyse(checkins, habits, ProfileInput(**profile), today, kind_weights)


def found(analysis) -> set:
    return {(insight.habit_id, insight.kind) for insight in analysis.insights}


def insight(analysis, kind):
    return next(i for i in analysis.insights if i.kind == kind)


def at(hour: int, minute: int = 0) -> time:
    return time(hour, minute)
