"""Digest sweep speed: N due people composed, rendered and handed to the locmem backend on one core.

Reports digests per second (goal: >= 200), queries per digest (goal: constant), and the same
sweep again with many people present who are not due (goal: within 1.3x). Sizes can be
changed with DIGEST_BENCH_DUE (default 10000), DIGEST_BENCH_NOT_DUE (default 5x due) and
DIGEST_BENCH_RUNS (sweeps per measurement, best kept; default 2).
"""

import datetime as dt
import gc
import logging
import os
import time

from _django import QueryCounter, setup

setup("digests")

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402

from digests.models import DigestSend, EmailSchedule  # noqa: E402
from digests.schedule import digest_instant  # noqa: E402
from digests.services import digests_sweep  # noqa: E402
from habits.days import zone  # noqa: E402
from onboarding.models import CoachingProfile  # noqa: E402

DUE = int(os.environ.get("DIGEST_BENCH_DUE", "10000"))
NOT_DUE = int(os.environ.get("DIGEST_BENCH_NOT_DUE", str(5 * DUE)))
HISTORY_DAYS = 30
GOAL_PER_SECOND = 200
GOAL_RATIO = 1.3
RUNS = int(os.environ.get("DIGEST_BENCH_RUNS", "2"))


def seed(prefix, count, days, seed_number):
    started = time.perf_counter()
    call_command("seed_users", count=count, days=days, seed=seed_number, prefix=prefix, population="steady",
                 stdout=open(os.devnull, "w"))
    return time.perf_counter() - started


def make_due(prefix, now):
    """Give everyone with this prefix a digest hour that has just passed today, in their own zone."""
    profiles = list(CoachingProfile.objects.filter(user__username__startswith=f"{prefix}-").only("pk", "user_id", "timezone"))
    schedules = {s.user_id: s for s in EmailSchedule.objects.filter(user__username__startswith=f"{prefix}-")}
    for profile in profiles:
        local = now.astimezone(zone(profile.timezone))
        profile.day_start_hour = 0
        schedule = schedules[profile.user_id]
        schedule.digest_hour, schedule.digest_enabled = local.hour, True
        schedule.next_digest_at = digest_instant(local.date(), profile.timezone, local.hour)
    CoachingProfile.objects.bulk_update(profiles, ["day_start_hour"], batch_size=2000)
    EmailSchedule.objects.bulk_update(schedules.values(), ["digest_hour", "digest_enabled", "next_digest_at"], batch_size=2000)
    DigestSend.objects.filter(user__username__startswith=f"{prefix}-").delete()
    return len(profiles)


def timed_sweep(now):
    mail.outbox = []
    gc.collect()
    with QueryCounter() as counter:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = digests_sweep(now=now)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    handed = len(mail.outbox)
    mail.outbox = []
    return result, elapsed, cpu, counter.count, handed


def best_of(runs, prefix, now):
    """The fastest of a few identical sweeps (other processes on the machine only ever slow one down)."""
    best = None
    for _ in range(runs):
        make_due(prefix, now)
        run = timed_sweep(now)
        if best is None or run[1] < best[1]:
            best = run
    return best


def main():
    logging.getLogger("cadence.digests").setLevel(logging.WARNING)   # one summary line per sweep is noise here
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)   # everything seeded later is due after it

    print(f"Seeding {DUE} due people with {HISTORY_DAYS} days of history (seed_users) ...", flush=True)
    print(f"  {seed('due', DUE, HISTORY_DAYS, 11):.1f}s")
    seed("warm", 200, HISTORY_DAYS, 12)
    make_due("warm", now)
    timed_sweep(now)   # warm-up: template compilation, imports, connection

    result, elapsed, cpu, queries, handed = best_of(RUNS, "due", now)
    rate = result.sent / elapsed
    print(f"Sweep of {DUE} due people (best of {RUNS}): sent {result.sent}, handed to locmem {handed}, "
          f"skipped {result.skipped}, failed {result.failed} in {elapsed:.2f}s ({cpu:.2f}s CPU)")
    print(f"  {rate:,.0f} digests/s, {result.sent / cpu:,.0f} per CPU second "
          f"(goal >= {GOAL_PER_SECOND}: {'ok' if rate >= GOAL_PER_SECOND else 'MISSED'})")
    print(f"  {queries} queries = {queries / max(result.sent, 1):.2f} per digest")

    print(f"Adding {NOT_DUE} people who are not due ...", flush=True)
    print(f"  {seed('idle', NOT_DUE, 3, 13):.1f}s")
    result_b, elapsed_b, cpu_b, queries_b, _ = best_of(RUNS, "due", now)
    ratio = elapsed_b / elapsed
    print(f"Same sweep with {NOT_DUE} more people present (best of {RUNS}): sent {result_b.sent} in {elapsed_b:.2f}s "
          f"({cpu_b:.2f}s CPU), {queries_b} queries ({queries_b / max(result_b.sent, 1):.2f} per digest)")
    print(f"  {ratio:.2f}x the due-only sweep, {cpu_b / cpu:.2f}x in CPU time "
          f"(goal <= {GOAL_RATIO}: {'ok' if ratio <= GOAL_RATIO else 'MISSED'})")


if __name__ == "__main__":
    main()
