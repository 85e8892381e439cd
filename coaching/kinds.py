"""Human names for insight kinds (the kinds themselves are stable identifiers)."""

KIND_LABELS = {
    "time_anchor": "a steady time of day",
    "time_drift": "a drifting time of day",
    "weekday_gap": "a weak weekday",
    "declining_trend": "a declining trend",
    "improving_trend": "an improving trend",
    "double_miss": "misses that come in pairs",
    "chronotype_mismatch": "your chronotype",
    "planned_time_mismatch": "planned vs actual time",
    "main_habit_lagging": "your main habit lagging",
    "strong_habit": "a strong habit",
    "struggling_habit": "a struggling habit",
    "overload": "too many habits at once",
    "goal_gap": "a goal without a habit",
    "starter": "your onboarding answers",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " "))
