"""Cadence's coaching analysis: a pure core from check-ins, habits and onboarding answers to insights.

    analyse(checkins_frame, habits, profile, today, kind_weights=None) -> Analysis
    analyse_arrays(CheckinArrays, habits, profile, today, kind_weights=None) -> Analysis
"""

from .engine import ACTIVATION_CHECK_INS, ACTIVATION_DAY, analyse, analyse_arrays
from .inputs import CheckinArrays, HabitInput, ProfileInput
from .kinds import DESCRIPTIVE_KINDS, INSIGHT_KINDS, PATTERN_KINDS
from .results import Analysis, HabitSummary, Insight, Recommendation

__all__ = [
    "ACTIVATION_CHECK_INS", "ACTIVATION_DAY", "Analysis", "CheckinArrays", "DESCRIPTIVE_KINDS", "HabitInput",
    "HabitSummary", "INSIGHT_KINDS", "Insight", "PATTERN_KINDS", "ProfileInput", "Recommendation", "analyse",
    "analyse_arrays",
]
