"""On a small synthetic cohort the detectors find what was planted and stay quiet otherwise."""

from collections import Counter

from coaching.analysis import PATTERN_KINDS, analyse_arrays
from coaching.cohort import NO_PATTERN, PLANTED_GROUPS, csv_rows, generate_cohort


def test_cohort_is_reproducible_from_its_seed():
    first, second = generate_cohort(days=28, users_per_group=2, no_pattern_users=3, seed=4), \
        generate_cohort(days=28, users_per_group=2, no_pattern_users=3, seed=4)
    assert [u.labels for u in first] == [u.labels for u in second]
    assert all((a.checkins.day == b.checkins.day).all() for a, b in zip(first, second))


def test_every_planted_group_carries_its_label():
    users = generate_cohort(days=28, users_per_group=3, no_pattern_users=0, seed=1)
    for user in users:
        assert any(kind.split(":")[0] == user.group for _, kind in user.labels) or user.group in (
            "strong_habit", "struggling_habit", "overload")


def test_detectors_find_planted_patterns_and_leave_steady_people_alone():
    users = generate_cohort(days=28, users_per_group=25, no_pattern_users=80, seed=2,
                            groups=tuple(g for g in PLANTED_GROUPS if g not in ("double_miss", "strong_habit")))
    hits, planted, false_alarms, noisy_people = Counter(), Counter(), 0, 0
    for user in users:
        analysis = analyse_arrays(user.checkins, user.habits, user.profile, user.today)
        found = {(i.habit_id, i.kind) for i in analysis.insights if i.kind in PATTERN_KINDS}
        for label in user.labels:
            if label[1] in PATTERN_KINDS:
                planted[label[1]] += 1
                hits[label[1]] += label in found
        false_alarms += len(found - user.labels)
        noisy_people += user.group == NO_PATTERN and bool(found)
    assert noisy_people <= 3
    assert false_alarms <= 5
    for kind in ("time_anchor", "time_drift", "chronotype_mismatch", "planned_time_mismatch"):
        assert hits[kind] >= 0.85 * planted[kind], kind
    for kind in ("weekday_gap", "declining_trend", "improving_trend"):  # 28 days is short for these: see the eval
        assert hits[kind] >= 0.4 * planted[kind], kind


def test_csv_rows_carry_the_offset_and_local_time():
    user = generate_cohort(days=14, users_per_group=1, no_pattern_users=0, seed=3, groups=("time_anchor",))[0]
    row = next(csv_rows([user], offset_minutes=330))
    assert row[0] == user.user_id and row[2].endswith("+05:30")
