"""What the analysis returns: plain dataclasses the service stores and the pages render."""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class HabitSummary:
    habit_id: int | str
    name: str
    strength: int                       # 0..100, Loop Habit Tracker's score
    current_streak: int
    best_streak: int
    completion_rate_30d: float | None   # 0..1, None before anything was due
    rate_days: int = 30                 # the days that rate covers: 30, or fewer for a younger habit


@dataclass(frozen=True)
class Insight:
    kind: str
    habit_id: int | str | None
    habit_name: str | None
    confidence: float                   # 0..1
    title: str
    body: str
    evidence: dict                      # JSON-able numbers and labels the sentences quote


@dataclass(frozen=True)
class Recommendation:
    rank: int                           # 1..5
    text: str
    habit_id: int | str | None
    habit_name: str | None
    based_on: list[str]                 # kinds in coaching.analysis.kinds: insights, "starter" (answers), "own_numbers"


@dataclass(frozen=True)
class Analysis:
    active: bool                        # pattern coaching on: ACTIVATION_DAY+ since the first check-in, enough check-ins
    days_of_data: int                   # local days since the first check-in, that day being day 1
    habits: list[HabitSummary] = field(default_factory=list)
    insights: list[Insight] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    challenges: list[str] = field(default_factory=list)
    strength_notes: list[tuple] = field(default_factory=list)   # (habit id or None, text): strengths from plain numbers

    def to_dict(self) -> dict:
        return asdict(self)
