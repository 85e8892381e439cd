"""The insight kinds the analysis core produces (stable identifiers, stored and used for feedback)."""

TIME_ANCHOR = "time_anchor"
TIME_DRIFT = "time_drift"
WEEKDAY_GAP = "weekday_gap"
DECLINING_TREND = "declining_trend"
IMPROVING_TREND = "improving_trend"
DOUBLE_MISS = "double_miss"
CHRONOTYPE_MISMATCH = "chronotype_mismatch"
PLANNED_TIME_MISMATCH = "planned_time_mismatch"
MAIN_HABIT_LAGGING = "main_habit_lagging"
STRONG_HABIT = "strong_habit"
STRUGGLING_HABIT = "struggling_habit"
OVERLOAD = "overload"
GOAL_GAP = "goal_gap"
STARTER = "starter"

# Claims about behaviour that need a statistical test; the rest are thresholds on plain numbers.
PATTERN_KINDS = frozenset({
    TIME_ANCHOR, TIME_DRIFT, WEEKDAY_GAP, DECLINING_TREND, IMPROVING_TREND,
    DOUBLE_MISS, CHRONOTYPE_MISMATCH, PLANNED_TIME_MISMATCH,
})
DESCRIPTIVE_KINDS = frozenset({MAIN_HABIT_LAGGING, STRONG_HABIT, STRUGGLING_HABIT, OVERLOAD, GOAL_GAP})
INSIGHT_KINDS = PATTERN_KINDS | DESCRIPTIVE_KINDS

GOALS = ("health", "learning", "mindfulness", "productivity", "relationships", "creativity", "finances", "sleep")
GOAL_LABELS = {
    "health": "health & fitness", "learning": "learning", "mindfulness": "mindfulness",
    "productivity": "productivity", "relationships": "relationships", "creativity": "creativity",
    "finances": "finances", "sleep": "sleep",
}
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_PLURALS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
