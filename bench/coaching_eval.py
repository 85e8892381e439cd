"""Precision and recall of every coaching detector on a synthetic cohort with planted patterns.

    .venv/bin/python bench/coaching_eval.py [--users-per-group 200] [--no-pattern 1000] [--seed 7] [--sweep]

Patterns are measured at 28 days of data, except "never miss twice" and strong habits, which
need longer (a strength of 80 takes about five weeks of near-perfect days): those at 70 days.
Pure: no Django, no database. Planted effects (see coaching/cohort.py), with every other habit
steady (p 0.4-0.95, times spread 06:00-23:00):

    weekday_gap      one weekday (or Sat+Sun, 30%) never done; other days 85-95%
    trends           80-95% before the middle of the window, 10-30% after (or the reverse)
    double_miss      P(miss | done yesterday) 8-15%, P(miss | missed yesterday) 60-80%
    time_anchor      same time +- 8-25 min, 8% of check-ins at random times
    time_drift       45-90 min later or earlier each week, +- 20 min, 5% random
    planned_time     anchored 2-4 h away from the planned time
    chronotype       a morning person checking in 19:00-23:30 (or the reverse)

Users whose coaching is not switched on (fewer than 7 check-ins) are left out: they get no insights.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coaching import evaluation  # noqa: E402
from coaching.analysis import PATTERN_KINDS  # noqa: E402
from coaching.analysis import detectors  # noqa: E402
from coaching.analysis import kinds as k  # noqa: E402
from coaching.cohort import PLANTED_GROUPS, generate_cohort  # noqa: E402
from coaching.evaluation import TARGET_DAYS  # noqa: E402

KINDS = list(PLANTED_GROUPS)
PRECISION_TARGET, RECALL_TARGET, SILENCE_TARGET = 0.95, 0.90, 0.05


def ratio(a, b):
    return a / b if b else float("nan")


def report(results, verbose):
    print(f"{'kind':<24}{'target':>7}{'TP':>6}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}  met   "
          f"{'other horizon: precision':>25}{'recall':>8}")
    for kind in KINDS:
        days = TARGET_DAYS.get(kind, 28)
        other = 70 if days == 28 else 28
        tp, fp, fn = results[days].tp[kind], results[days].fp[kind], results[days].fn[kind]
        precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
        otp, ofp, ofn = results[other].tp[kind], results[other].fp[kind], results[other].fn[kind]
        met = "yes" if precision >= PRECISION_TARGET and recall >= RECALL_TARGET else "NO "
        note = "" if kind in PATTERN_KINDS else "  (descriptive)"
        print(f"{kind:<24}{str(days) + ' d':>7}{tp:>6}{fp:>5}{fn:>5}{precision:>11.3f}{recall:>8.3f}  {met}   "
              f"{str(other) + ' d: ' + format(ratio(otp, otp + ofp), '.3f'):>25}{ratio(otp, otp + ofn):>8.3f}{note}")
    for days, result in sorted(results.items()):
        print(f"No-pattern users with any pattern insight at {days} days: {result.no_pattern_hit:.1%} (target <= {SILENCE_TARGET:.0%})")
    if verbose:
        for days, result in sorted(results.items()):
            print(f"False positives at {days} days, by kind and the user's planted group:")
            for (kind, group), count in sorted(result.fp_sources.items()):
                print(f"  {kind:<24} from {group:<24} {count}")


def cohort(args, days):
    return generate_cohort(days=days, users_per_group=args.users_per_group, no_pattern_users=args.no_pattern,
                           seed=args.seed + days, realistic=args.cohort == "realistic")


def run(args):
    results = {}
    for days in evaluation.HORIZONS:
        users = cohort(args, days)
        results[days] = evaluation.evaluate(users)
        print(f"[{days} days: {len(users)} users analysed in {results[days].seconds:.1f} s; "
              f"{results[days].inactive} not yet active (fewer than 7 check-ins), left out]")
    return results


SWEEPS = {
    "ALPHA_WEEKDAY": ((k.WEEKDAY_GAP,), 28, (0.005, 0.01, 0.02, 0.03, 0.05)),
    "MIN_OTHER_RATE": ((k.WEEKDAY_GAP,), 28, (0.7, 0.75, 0.8)),
    "ALPHA_TREND": ((k.DECLINING_TREND, k.IMPROVING_TREND), 28, (0.005, 0.01, 0.02, 0.03, 0.05)),
    "ALPHA_DOUBLE_MISS": ((k.DOUBLE_MISS,), 70, (0.005, 0.01, 0.02, 0.05)),
}


def sweep(args):
    """The trade-off: precision, recall and no-pattern silence as each family-wise alpha moves."""
    cohorts = {days: cohort(args, days) for days in (28, 70)}
    print(f"\n{'setting':<30}{'kind':<18}{'precision':>10}{'recall':>8}{'no-pattern hit':>16}")
    for name, (swept_kinds, days, values) in SWEEPS.items():
        original = getattr(detectors, name)
        for value in values:
            setattr(detectors, name, value)
            scores = evaluation.evaluate(cohorts[days])
            tp, fp, fn, silent = scores.tp, scores.fp, scores.fn, scores.no_pattern_hit
            for kind in swept_kinds:
                print(f"{name + ' = ' + str(value):<30}{kind:<18}{ratio(tp[kind], tp[kind] + fp[kind]):>10.3f}"
                      f"{ratio(tp[kind], tp[kind] + fn[kind]):>8.3f}{silent:>16.1%}")
        setattr(detectors, name, original)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users-per-group", type=int, default=200)
    parser.add_argument("--no-pattern", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cohort", choices=("realistic", "classic"), default="realistic",
                        help="realistic (the targets): 1-3 weekday gaps, changes on any day, schedules, "
                             "measurable habits, zones and DST; classic: the original cohort")
    parser.add_argument("--sweep", action="store_true", help="also show the alpha trade-off for the main tests")
    parser.add_argument("--verbose", action="store_true", help="break false positives down by planted group")
    args = parser.parse_args()
    report(run(args), args.verbose)
    if args.sweep:
        sweep(args)


if __name__ == "__main__":
    main()
