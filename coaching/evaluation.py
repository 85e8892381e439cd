"""Precision and recall of the pattern detectors on a synthetic cohort with planted patterns.

Pure: no Django, no database. `bench/coaching_eval.py` prints the full table; the
`evaluate_coaching` command stores a `summary` for the staff metrics page.
"""

import time
from collections import Counter
from dataclasses import dataclass, field

from . import cohort as cohorts
from .analysis import PATTERN_KINDS, analyse_arrays
from .analysis import kinds as k

# "Never miss twice" and strong habits need longer than four weeks to show (a strength of 80 takes
# about five weeks of near-perfect days): they are judged at 70 days, everything else at 28.
TARGET_DAYS = {k.DOUBLE_MISS: 70, k.STRONG_HABIT: 70}
HORIZONS = (28, 70)


@dataclass
class Scores:
    """Counts per kind at one horizon (days of data)."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    fp_sources: Counter = field(default_factory=Counter)   # (kind, the user's planted group)
    no_pattern_hit: float = 0.0   # share of no-pattern users told about any pattern
    seconds: float = 0.0
    inactive: int = 0             # users left out: coaching not switched on for them yet


def predictions(user):
    """What the analysis claims about this user, or None while coaching is not switched on for them."""
    analysis = analyse_arrays(user.checkins, user.habits, user.profile, user.today)
    if not analysis.active:
        return None
    found = set()
    for insight in analysis.insights:
        if insight.kind == k.GOAL_GAP:
            found.add((None, f"{k.GOAL_GAP}:{insight.evidence['goal']}"))
        else:
            found.add((insight.habit_id, insight.kind))
    return found


def base_kind(label_kind: str) -> str:
    return label_kind.split(":")[0]


def evaluate(users) -> Scores:
    scores = Scores()
    told_no_pattern = 0
    started = time.perf_counter()
    for user in users:
        found = predictions(user)
        if found is None:
            scores.inactive += 1
            continue
        for item in found - user.labels:
            scores.fp[base_kind(item[1])] += 1
            scores.fp_sources[(base_kind(item[1]), user.group)] += 1
        for item in found & user.labels:
            scores.tp[base_kind(item[1])] += 1
        for item in user.labels - found:
            scores.fn[base_kind(item[1])] += 1
        if user.group == cohorts.NO_PATTERN and any(kind in PATTERN_KINDS for _, kind in found):
            told_no_pattern += 1
    scores.seconds = time.perf_counter() - started
    no_pattern = sum(1 for u in users if u.group == cohorts.NO_PATTERN)
    scores.no_pattern_hit = told_no_pattern / no_pattern if no_pattern else 0.0
    return scores


def ratio(a, b):
    return a / b if b else None


def summary(results: dict[int, Scores]) -> dict:
    """Pooled precision and recall of the pattern detectors, each judged at its own horizon, plus per kind."""
    per_kind, tp, fp, fn = {}, 0, 0, 0
    for kind in sorted(PATTERN_KINDS):
        scores = results[TARGET_DAYS.get(kind, 28)]
        tp, fp, fn = tp + scores.tp[kind], fp + scores.fp[kind], fn + scores.fn[kind]
        per_kind[kind] = {
            "precision": ratio(scores.tp[kind], scores.tp[kind] + scores.fp[kind]),
            "recall": ratio(scores.tp[kind], scores.tp[kind] + scores.fn[kind]),
        }
    return {
        "true_positives": tp, "false_positives": fp, "false_negatives": fn,
        "precision": ratio(tp, tp + fp),
        "recall": ratio(tp, tp + fn),
        "no_pattern_hit": max(scores.no_pattern_hit for scores in results.values()),
        "per_kind": per_kind,
    }


def run(users_per_group: int, no_pattern: int, seed: int, realistic: bool = True) -> dict[int, Scores]:
    return {
        days: evaluate(cohorts.generate_cohort(days=days, users_per_group=users_per_group, no_pattern_users=no_pattern,
                                               seed=seed + days, realistic=realistic))
        for days in HORIZONS
    }
