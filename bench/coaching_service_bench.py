"""Weekly re-analysis through the real service: people from seed_users, read from and written to the database.

Reports users/s (goal: 10,000 users x 60 days in < 60 s on one core) and queries per user.
COACHING_BENCH_USERS (default 10000) sets the size.
"""

import datetime as dt
import os
import time

from _django import QueryCounter, setup

setup("coaching")

from django.core.management import call_command  # noqa: E402

from coaching.models import AnalysisRun, CoachingState  # noqa: E402
from coaching.services import analyse_due_users  # noqa: E402

USERS = int(os.environ.get("COACHING_BENCH_USERS", "10000"))
GOAL_SECONDS = 60 * USERS / 10000


def main():
    started = time.perf_counter()
    call_command("seed_users", count=USERS, days=60, seed=5, prefix="bench", population="steady", stdout=open(os.devnull, "w"))
    print(f"Seeded {USERS} users x 60 days with seed_users in {time.perf_counter() - started:.1f}s")
    now = dt.datetime.now(dt.UTC)
    CoachingState.objects.update(next_analysis_at=now)
    with QueryCounter() as queries:
        started = time.perf_counter()
        analysed = analyse_due_users(now=now)
        elapsed = time.perf_counter() - started
    active = AnalysisRun.objects.filter(is_current=True, active=True).count()
    print(f"Weekly re-analysis: {analysed} users in {elapsed:.1f}s = {analysed / elapsed:.0f} users/s "
          f"(goal: {USERS} in < {GOAL_SECONDS:.0f}s), {queries.count / max(analysed, 1):.1f} queries per user, "
          f"{active} with pattern coaching on")
    due_again = CoachingState.objects.filter(next_analysis_at__lte=now).count()
    print(f"Due again right after the sweep: {due_again} (the next sweep reads only those)")


if __name__ == "__main__":
    main()
