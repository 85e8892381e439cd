"""Speed of the coaching analysis core: one heavy user, and a whole cohort through the CSV path.

    .venv/bin/python bench/coaching_speed.py [--users 10000] [--days 60]

Targets: one user with 10 habits x 365 days in < 20 ms (median); 10,000 users x 60 days in
< 60 s on one core (> 170 users/s), parse included. Pure: no Django, no database.
"""

import argparse
import csv
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coaching.analysis import CheckinArrays, HabitInput, ProfileInput, analyse_arrays  # noqa: E402
from coaching.analysis.checkin_csv import CsvOptions, people, read_checkins, to_json  # noqa: E402
from coaching.cohort import PLANTED_GROUPS, csv_rows, generate_cohort  # noqa: E402

TODAY = date(2025, 6, 1)


def heavy_user(habits=10, days=365, seed=1):
    rng = np.random.default_rng(seed)
    start = TODAY - timedelta(days=days - 1)
    ids, day_rows, minute_rows = [], [], []
    for habit in range(habits):
        done = np.flatnonzero(rng.random(days) < rng.uniform(0.4, 0.95))
        ids.append(np.full(len(done), habit))
        day_rows.append(done + start.toordinal())
        minute_rows.append(np.floor(rng.normal(rng.uniform(360, 1320), 30, len(done))) % 1440)
    checkins = CheckinArrays(np.concatenate(ids), np.concatenate(day_rows), np.concatenate(minute_rows))
    habit_inputs = [HabitInput(id=h, name=f"Habit {h}", start=start, is_main=h == 0) for h in range(habits)]
    profile = ProfileInput(goals=("health", "sleep"), obstacle="forgetting", chronotype="morning", tone="direct")
    return checkins, habit_inputs, profile


def bench_one_user(runs=30):
    checkins, habits, profile = heavy_user()
    analyse_arrays(checkins, habits, profile, TODAY)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        analyse_arrays(checkins, habits, profile, TODAY)
        times.append(time.perf_counter() - started)
    median = statistics.median(times) * 1000
    print(f"One user, 10 habits x 365 days: median {median:.1f} ms over {runs} runs (target < 20 ms)")


def bench_cohort(users, days):
    """Every planted group and no-pattern users in equal shares, as a CSV with a user column."""
    per_group = users // (len(PLANTED_GROUPS) + 1)
    cohort = generate_cohort(days=days, users_per_group=per_group, no_pattern_users=users - per_group * len(PLANTED_GROUPS),
                             seed=5)
    today = max(u.today for u in cohort)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", delete=False) as handle:
        writer = csv.writer(handle)
        writer.writerow(["user", "habit", "completed_at"])
        writer.writerows(csv_rows(cohort, offset_minutes=120))
        path = handle.name
    rows = sum(len(u.checkins) for u in cohort)
    started = time.perf_counter()
    checkins = read_checkins(path, ZoneInfo("Europe/Berlin"))
    parsed = time.perf_counter()
    options = CsvOptions(today=today)
    count = 0
    for user, analysis in people(checkins, options):
        to_json(analysis, user)
        count += 1
    finished = time.perf_counter()
    Path(path).unlink()
    total = finished - started
    habits = sum(len(u.habits) for u in cohort) / len(cohort)
    print(f"Cohort, {count} users x {days} days ({rows} check-ins, {habits:.1f} habits per user): "
          f"parse {parsed - started:.1f} s, analyse {finished - parsed:.1f} s, total {total:.1f} s = "
          f"{count / total:.0f} users/s (target > 170 users/s, 10k in < 60 s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=60)
    args = parser.parse_args()
    bench_one_user()
    bench_cohort(args.users, args.days)


if __name__ == "__main__":
    main()
