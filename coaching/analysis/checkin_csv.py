"""Check-ins from a CSV file (`habit,completed_at[,value][,user]`), analysed person by person.

The file is read and converted to local days and minutes once, with pandas, for everyone in it;
each person is then a slice of plain arrays, so a cohort of thousands costs one parse plus the
per-person analysis. Every habit is daily and is tracked from `start` (else the person's first
check-in).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from .engine import analyse_arrays
from .inputs import EPOCH_ORDINAL, CheckinArrays, HabitInput, ProfileInput
from .results import Analysis

REQUIRED_COLUMNS = ("habit", "completed_at")
_OFFSET = r"(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"


class CheckinCsvError(ValueError):
    """The file is not a check-in CSV this command can read."""


@dataclass(frozen=True)
class CsvOptions:
    today: date
    start: date | None = None
    chronotype: str | None = None
    main_habit: str = ""
    planned: dict[str, time] | None = None      # habit name (case-insensitive) -> planned time
    tone: str = "direct"
    obstacle: str = "other"


@dataclass(frozen=True)
class LocalCheckins:
    """Every row of the file as arrays: who, which habit, which local day (ordinal), minute and value."""

    user: np.ndarray | None
    habit: np.ndarray
    day: np.ndarray
    minutes: np.ndarray
    value: np.ndarray


def parse_planned(items: list[str]) -> dict[str, time]:
    planned = {}
    for item in items or ():
        name, _, clock = item.rpartition("=")
        try:
            planned[name.strip().casefold()] = time.fromisoformat(clock.strip())
        except ValueError:
            raise CheckinCsvError(f'--planned expects "NAME=HH:MM", got {item!r}') from None
        if not name.strip():
            raise CheckinCsvError(f'--planned expects "NAME=HH:MM", got {item!r}')
    return planned


def read_checkins(source, zone: ZoneInfo) -> LocalCheckins:
    """Parse the CSV and put every check-in on its local day and minute in `zone`."""
    try:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise CheckinCsvError(f"not a readable CSV file: {str(error).strip().splitlines()[0]}") from None
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise CheckinCsvError(f"missing column(s) {', '.join(missing)}; expected header habit,completed_at[,value][,user]")
    habit = frame["habit"].str.strip()
    if (habit == "").any():
        raise CheckinCsvError(f"empty habit name on line {int(np.flatnonzero(habit == '')[0]) + 2}")
    local = _local_times(frame["completed_at"].str.strip(), zone)
    day = local.to_numpy().astype("datetime64[D]")
    minutes = (local.to_numpy() - day).astype("timedelta64[m]").astype(float)
    value = np.full(len(frame), np.nan)
    if "value" in frame.columns:
        text = frame["value"].str.strip()
        numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = numbers.isna() & (text != "")
        if bad.any():
            raise CheckinCsvError(f"value {text[bad].iloc[0]!r} on line {int(np.flatnonzero(bad)[0]) + 2} is not a number")
        value = numbers.to_numpy(dtype=float, na_value=np.nan)
    user = frame["user"].str.strip().to_numpy(dtype=object) if "user" in frame.columns else None
    return LocalCheckins(
        user=user,
        habit=habit.to_numpy(dtype=object),
        day=day.astype(np.int64) + EPOCH_ORDINAL,
        minutes=minutes,
        value=value,
    )


def _local_times(stamps: pd.Series, zone: ZoneInfo) -> pd.Series:
    """Naive local wall times in `zone`; a timestamp without an offset is taken as local already."""
    has_offset = stamps.str.contains(_OFFSET, regex=True)
    local = pd.Series(pd.NaT, index=stamps.index, dtype="datetime64[ns]")
    try:
        if has_offset.any():
            aware = pd.to_datetime(stamps[has_offset], format="ISO8601", utc=True)
            local[has_offset] = aware.dt.tz_convert(zone).dt.tz_localize(None).astype("datetime64[ns]")
        if (~has_offset).any():
            local[~has_offset] = pd.to_datetime(stamps[~has_offset], format="ISO8601").astype("datetime64[ns]")
    except (ValueError, TypeError, OverflowError) as error:
        raise CheckinCsvError(f"completed_at is not an ISO 8601 timestamp: {str(error).splitlines()[0]}") from None
    if local.isna().any():
        line = int(np.flatnonzero(local.isna())[0]) + 2
        raise CheckinCsvError(f"completed_at on line {line} is not an ISO 8601 timestamp")
    return local


def analyse_person(habit: np.ndarray, day: np.ndarray, minutes: np.ndarray, value: np.ndarray, options: CsvOptions) -> Analysis:
    """One person's rows: habits in order of first appearance, all daily, from `start` or the first check-in."""
    names, first_row, codes = np.unique(habit, return_index=True, return_inverse=True)
    order = np.argsort(first_row, kind="stable")
    start = options.start or (date.fromordinal(int(day.min())) if len(day) else options.today)
    planned = options.planned or {}
    main = options.main_habit.strip().casefold()
    habits = [
        HabitInput(
            id=int(code), name=str(names[code]), start=start,
            planned_time=planned.get(str(names[code]).casefold()),
            is_main=bool(main) and str(names[code]).casefold() == main,
        )
        for code in order
    ]
    profile = ProfileInput(main_habit=options.main_habit, obstacle=options.obstacle, chronotype=options.chronotype,
                           tone=options.tone)
    checkins = CheckinArrays(habit_id=codes.astype(np.int64), day=day, minutes=minutes, value=value)
    return analyse_arrays(checkins, habits, profile, options.today)


def people(checkins: LocalCheckins, options: CsvOptions) -> Iterator[tuple[str | None, Analysis]]:
    """(user, analysis) for everyone in the file, in order of first appearance; user None without a user column."""
    if checkins.user is None:
        yield None, analyse_person(checkins.habit, checkins.day, checkins.minutes, checkins.value, options)
        return
    codes, users = pd.factorize(checkins.user)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(users) + 1))
    for index, user in enumerate(users):
        rows = order[bounds[index]:bounds[index + 1]]
        yield str(user), analyse_person(checkins.habit[rows], checkins.day[rows], checkins.minutes[rows],
                                        checkins.value[rows], options)


def to_json(analysis: Analysis, user: str | None = None) -> dict:
    """The command's output contract: habits and insights named by habit, not by id."""
    output = {"user": user} if user is not None else {}
    output.update({
        "active": analysis.active,
        "days_of_data": analysis.days_of_data,
        "habits": [
            {"habit": h.name, "strength": h.strength, "current_streak": h.current_streak, "best_streak": h.best_streak,
             "completion_rate_30d": h.completion_rate_30d}
            for h in analysis.habits
        ],
        "insights": [
            {"kind": i.kind, "habit": i.habit_name, "confidence": i.confidence, "title": i.title, "evidence": i.evidence}
            for i in analysis.insights
        ],
        "recommendations": [
            {"rank": r.rank, "text": r.text, "habit": r.habit_name, "based_on": r.based_on}
            for r in analysis.recommendations
        ],
        "strengths": analysis.strengths,
        "challenges": analysis.challenges,
    })
    return output
