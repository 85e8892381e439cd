"""What the analysis reads: plain dataclasses and arrays, filled by the service (or the CSV command)."""

from dataclasses import dataclass, field
from datetime import date, time

import numpy as np
import pandas as pd

from habits.schedule import Measure, Schedule

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class HabitInput:
    id: int | str
    name: str
    start: date                                   # first local day the habit existed
    schedule: Schedule = Schedule()
    planned_time: time | None = None
    is_main: bool = False
    area: str | None = None                       # a goal area code, when the person chose one
    skipped: frozenset[date] = frozenset()
    paused: tuple[tuple[date, date | None], ...] = ()
    kind: str = "boolean"                         # "boolean" | "measurable"
    target: float | None = None
    target_type: str = "at_least"                 # "at_least" | "at_most"

    @property
    def measure(self) -> Measure | None:
        if self.kind != "measurable" or self.target is None:
            return None
        return Measure(target=self.target, at_most=self.target_type == "at_most")


@dataclass(frozen=True)
class ProfileInput:
    goals: tuple[str, ...] = ()
    main_habit: str = ""
    obstacle: str = "other"                       # time, motivation, forgetting, energy, restarting, other
    chronotype: str | None = None                 # morning, intermediate, evening; None when not answered
    tone: str = "gentle"                          # gentle | direct
    first_name: str = ""
    main_habit_time: str | None = None            # "HH:MM" planned in onboarding, before the habit exists
    obstacle_other: str = ""                      # the person's own words when the obstacle is "other"
    why_now: str = ""                             # the person's own words: why start now
    success_factor: str = ""                      # the person's own words: what makes the next 30 days a success


@dataclass(frozen=True)
class CheckinArrays:
    """One row per check-in, as parallel numpy arrays: the form every detector works on.

    `day` is the local date as a proleptic ordinal (`date.toordinal()`), `minutes` the local minute
    of the day (NaN when the time is unknown), `value` the measured amount (NaN for yes/no).
    """

    habit_id: np.ndarray
    day: np.ndarray
    minutes: np.ndarray = field(default=None)
    value: np.ndarray = field(default=None)

    def __post_init__(self):
        n = len(self.day)
        if self.minutes is None:
            object.__setattr__(self, "minutes", np.full(n, np.nan))
        if self.value is None:
            object.__setattr__(self, "value", np.full(n, np.nan))

    def __len__(self):
        return len(self.day)

    @classmethod
    def empty(cls):
        return cls(np.array([], dtype=object), np.array([], dtype=np.int64))

    @classmethod
    def from_frame(cls, checkins: pd.DataFrame | None) -> "CheckinArrays":
        """Columns `habit_id`, `local_date` (date or datetime64), optional `minutes` and `value`."""
        if checkins is None or len(checkins) == 0:
            return cls.empty()
        return cls(
            habit_id=checkins["habit_id"].to_numpy(),
            day=_ordinals(checkins["local_date"]),
            minutes=_floats(checkins, "minutes"),
            value=_floats(checkins, "value"),
        )


def _ordinals(column: pd.Series) -> np.ndarray:
    days = pd.to_datetime(column).to_numpy().astype("datetime64[D]").astype(np.int64)
    return days + EPOCH_ORDINAL


def _floats(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
