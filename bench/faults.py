"""Faults on real parts: the digest sweep on django-q2 workers (production settings, Redis broker,
PostgreSQL), with the database restarted in the middle of a sweep and Redis stopped and started again.

1. PostgreSQL restarted during a sweep of DUE people: the sweep stops cleanly (one "digest sweep
   failed" line, the task marked failed, no email twice), the same worker's next sweep sends what
   was never claimed, and the next scheduled sweep (run as if 15 minutes later) sends what the dead
   sweep had claimed but not handed over.
2. Redis stopped while two workers run, people become due during the outage, Redis started again:
   both workers reconnect (same processes) and every due person gets their email once.

Each person's emails are counted from the .eml files the workers wrote. This restarts the machine's
PostgreSQL and Redis (loopback, this machine only): never run it beside the test suite.

    python bench/faults.py [--due 2000]
"""

import argparse
import datetime as dt
import email
import email.policy
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
OUTBOX = VAR / "faults-outbox"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "cadence_faults"
REDIS_URL = "redis://127.0.0.1:6379/14"
PG_VERSION = sorted(os.listdir("/etc/postgresql"))[-1] if os.path.isdir("/etc/postgresql") else "15"
PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", "restart", "-m", "fast"]
REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
               "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"]
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "faults-bench-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": f"{PG_SERVER}/{PG_DATABASE}", "REDIS_URL": REDIS_URL,
    "EMAIL_BACKEND": "digests.dev_outbox.EmailBackend", "EMAIL_FILE_PATH": str(OUTBOX), "Q_WORKERS": "2",
    "DIGEST_SWEEP_MINUTES": "1", "PYTHONUNBUFFERED": "1",
}


def log(text):
    print(text, flush=True)


def fresh_database():
    import psycopg
    from django.db import connections

    connections.close_all()   # DROP ... WITH (FORCE) would cut this process's own connection

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    shutil.rmtree(OUTBOX, ignore_errors=True)


def set_up_django():
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def wait_for(condition, timeout, what, poll=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll)
    log(f"  timed out after {timeout} s waiting for {what}")
    return False


def database_answers() -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{PG_SERVER}/{PG_DATABASE}", connect_timeout=1) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def redis_answers() -> bool:
    return subprocess.run(["redis-cli", "-p", "6379", "ping"], capture_output=True, text=True).stdout.strip() == "PONG"


def seed_due_people(count: int, prefix: str, now) -> list[int]:
    """`count` onboarded people (seed_users, steady) whose digest is due now, in zones where today
    lasts at least another half hour after the 15-minute "next sweep"."""
    from django.core.management import call_command

    from digests.models import EmailSchedule
    from digests.schedule import digest_instant
    from onboarding.models import CoachingProfile

    zones = [z for z in ("Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "America/Denver",
                         "Asia/Tokyo", "Europe/Berlin", "America/Sao_Paulo")
             if (now + dt.timedelta(minutes=45)).astimezone(ZoneInfo(z)).date() == now.astimezone(ZoneInfo(z)).date()]
    call_command("seed_users", count=count, days=40, seed=3, prefix=prefix, population="steady", stdout=open(os.devnull, "w"))
    profiles = list(CoachingProfile.objects.filter(user__username__startswith=f"{prefix}-"))
    schedules = {s.user_id: s for s in EmailSchedule.objects.filter(user_id__in=[p.user_id for p in profiles])}
    for index, profile in enumerate(profiles):
        profile.timezone, profile.day_start_hour = zones[index % len(zones)], 0
        local = now.astimezone(ZoneInfo(profile.timezone))
        schedule = schedules[profile.user_id]
        schedule.digest_hour, schedule.digest_enabled = local.hour, True
        schedule.next_digest_at = digest_instant(local.date(), profile.timezone, local.hour)
    CoachingProfile.objects.bulk_update(profiles, ["timezone", "day_start_hour"], batch_size=1000)
    EmailSchedule.objects.bulk_update(schedules.values(), ["digest_hour", "digest_enabled", "next_digest_at"], batch_size=1000)
    return [p.user_id for p in profiles]


def emails_by_address() -> Counter:
    counts = Counter()
    for path in OUTBOX.glob("*.eml"):
        counts[email.message_from_bytes(path.read_bytes(), policy=email.policy.default)["To"]] += 1
    return counts


def delivery_report(user_ids) -> str:
    """Each due person's emails, and the sweep's own record of them."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from digests.models import DigestSend

    addresses = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email"))
    received = emails_by_address()
    per_person = Counter(received.get(address, 0) for address in addresses.values())
    statuses = dict(DigestSend.objects.filter(user_id__in=user_ids).values_list("status").annotate(n=Count("id")).order_by())
    verdict = "OK" if set(per_person) == {1} else "PROBLEM"
    return (f"{verdict}: people with exactly one email {per_person.get(1, 0)} of {len(user_ids)}, with none "
            f"{per_person.get(0, 0)}, with more than one {sum(n for k, n in per_person.items() if k > 1)}; sends {statuses}")


class Cluster:
    def __init__(self, name):
        self.log_path = VAR / f"faults-{name}.log"
        self.process = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env={**os.environ, **ENV},
                                        stdout=self.log_path.open("w"), stderr=subprocess.STDOUT, start_new_session=True)

    def text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self):
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def enqueue_sweep():
    from django_q.tasks import async_task

    async_task("digests.tasks.sweep_digests")


def postgres_restarted_during_a_sweep(due: int):
    from django.db import connections
    from django.utils import timezone

    log(f"1. PostgreSQL restarted during a sweep of {due} due people (one worker, Redis broker)")
    fresh_database()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    now = timezone.now()
    started = time.perf_counter()
    people = seed_due_people(due, "pgfault", now)
    log(f"  seeded in {time.perf_counter() - started:.0f} s")
    connections.close_all()
    worker = Cluster("postgres")
    try:
        wait_for(lambda: "running" in worker.text(), 60, "the worker to start")
        enqueue_sweep()
        # A third of the way in, inside a batch of 500: some emails claimed and not yet handed over.
        wait_for(lambda: len(list(OUTBOX.glob("*.eml"))) >= due * 7 // 20, 120, "a third of the emails", poll=0.05)
        sent_before = len(list(OUTBOX.glob("*.eml")))
        restarted = time.perf_counter()
        subprocess.run(PG_RESTART, check=True, capture_output=True)
        log(f"  restarted PostgreSQL after {sent_before} emails ({time.perf_counter() - restarted:.1f} s to restart)")
        wait_for(lambda: "digest sweep failed" in worker.text(), 60, "the sweep to fail")
        failed_line = next((line for line in worker.text().splitlines() if "digest sweep failed" in line), "(none)")
        log(f"  the sweep stopped: {failed_line[:220]}")
        log(f"  worker still running: {worker.alive()}")
        wait_for(database_answers, 60, "PostgreSQL")
        successes = worker.text().count("digest sweep now=")
        enqueue_sweep()   # the same worker's next sweep, on a database that restarted under it
        wait_for(lambda: worker.text().count("digest sweep now=") > successes, 120, "the next sweep on the same worker")
        line = [l for l in worker.text().splitlines() if "digest sweep now=" in l][-1]
        log(f"  next sweep on the same worker: {line[line.index('digest sweep'):][:200]}")
    finally:
        worker.stop()
    later = (now + dt.timedelta(minutes=15)).isoformat()
    result = subprocess.run([sys.executable, "manage.py", "send_digests", "--now", later], cwd=ROOT,
                            env={**os.environ, **ENV}, capture_output=True, text=True)
    log(f"  the next scheduled sweep (as if 15 minutes later): {(result.stdout + result.stderr).strip()[:200]}")
    connections.close_all()
    log(f"  {delivery_report(people)}")


def redis_stopped_and_started(due: int):
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone
    from django_q.models import Schedule

    log(f"\n2. Redis stopped and started again under two workers; {due} people become due during the outage")
    fresh_database()
    call_command("migrate", verbosity=0)
    call_command("setup_schedules", stdout=open(os.devnull, "w"))
    Schedule.objects.update(next_run=timezone.now() + dt.timedelta(days=1))
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    connections.close_all()
    workers = [Cluster("redis-a"), Cluster("redis-b")]
    try:
        wait_for(lambda: all("running" in w.text() for w in workers), 60, "the workers to start")
        pids = [w.process.pid for w in workers]
        subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], capture_output=True)
        wait_for(lambda: not redis_answers(), 10, "Redis to stop")
        stopped = time.perf_counter()
        log("  Redis stopped")
        people = seed_due_people(due, "redisfault", timezone.now())
        Schedule.objects.filter(func="digests.tasks.sweep_digests").update(next_run=timezone.now())
        connections.close_all()
        time.sleep(max(0.0, 40 - (time.perf_counter() - stopped)))   # past a scheduler tick with no broker
        errors = sum(w.text().count("Error") for w in workers)
        log(f"  {time.perf_counter() - stopped:.0f} s without Redis: workers alive {[w.alive() for w in workers]}, "
            f"{errors} error lines in their logs, emails sent meanwhile {len(list(OUTBOX.glob('*.eml')))}")
        subprocess.run(REDIS_START, check=True, capture_output=True)
        wait_for(redis_answers, 30, "Redis to start")
        back = time.perf_counter()
        log("  Redis started again")
        done = wait_for(lambda: len(list(OUTBOX.glob("*.eml"))) >= due, 180, "every due email", poll=0.5)
        if done:
            log(f"  every due email sent {time.perf_counter() - back:.0f} s after Redis came back "
                "(the scheduler looks every 30 s, the schedule runs every minute)")
        time.sleep(5)   # room for a late duplicate
        same = [w.process.pid for w in workers] == pids and all(w.alive() for w in workers)
        log(f"  the same two worker processes still running: {same}")
    finally:
        for worker in workers:
            worker.stop()
        if not redis_answers():
            subprocess.run(REDIS_START, capture_output=True)
    log(f"  {delivery_report(people)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--due", type=int, default=2000, help="people due in the PostgreSQL scenario")
    parser.add_argument("--due-during-outage", type=int, default=200)
    args = parser.parse_args()
    if not shutil.which("pg_ctlcluster") or not shutil.which("redis-server"):
        log("faults: skipped (needs this machine's PostgreSQL and Redis: pg_ctlcluster and redis-server)")
        return
    VAR.mkdir(exist_ok=True)
    set_up_django()
    postgres_restarted_during_a_sweep(args.due)
    redis_stopped_and_started(args.due_during_outage)


if __name__ == "__main__":
    main()
