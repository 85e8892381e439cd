"""Several workers, one truth: two real `qcluster` processes share PostgreSQL and Redis and run the
digest and coaching work, first as many overlapping queued sweeps, then from the django-q2 schedules
(`manage.py setup_schedules`), in production settings. Every due person gets exactly one email and
one current analysis.

Needs PostgreSQL and Redis; CI sets REQUIRE_WORKERS=1 so that a missing Redis fails instead of skipping.
"""

import datetime as dt
import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule

from coaching.models import AnalysisRun, CoachingState
from coaching.services import coaching_state_ensure
from digests.models import DigestSend, EmailSchedule, SendStatus
from digests.schedule import digest_instant
from tests.digests.conftest import add_habit, check_in, scheduled_profile

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("WORKERS_REDIS_URL", "redis://127.0.0.1:6379/15")
# Whole-hour zones on both sides of UTC, a half-hour one and one that is a day ahead of others.
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "America/Los_Angeles", "Asia/Tokyo"]


def redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def skip_reason() -> str | None:
    if connection.vendor != "postgresql":
        return "two workers share one database: needs PostgreSQL (DATABASE_URL)"
    if not redis_reachable():
        return f"no Redis at {REDIS_URL}"
    return None


@pytest.fixture
def shared_services():
    reason = skip_reason()
    if reason and os.environ.get("REQUIRE_WORKERS") and connection.vendor == "postgresql":
        pytest.fail(f"REQUIRE_WORKERS is set: {reason}")
    if reason:
        pytest.skip(reason)
    import redis

    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    yield
    broker.flushdb()


pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def worker_environment(outbox: Path) -> dict:
    database = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "workers-test-" + "k" * 50,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}",
        "REDIS_URL": REDIS_URL,
        "Q_WORKERS": "2",
        "EMAIL_BACKEND": "digests.dev_outbox.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
        "PYTHONUNBUFFERED": "1",
    }


def start_cluster(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env,
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def stop(clusters: list[subprocess.Popen]) -> None:
    """Stop as a deployment would (SIGTERM: finish the task in hand, then exit), both at once."""
    for cluster in clusters:
        if cluster.poll() is None:
            cluster.send_signal(signal.SIGTERM)   # to the main process only, as a container runtime does
    for cluster in clusters:
        try:
            cluster.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(cluster.pid, signal.SIGKILL)
            cluster.wait(5)


def enqueue(env: dict, calls: list[str]) -> None:
    """Put tasks on the shared Redis queue the way the web process would (async_task)."""
    code = "from django_q.tasks import async_task\n" + "\n".join(f"async_task({call})" for call in calls)
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, timeout=60)


def due_now(zones, now, count_per_zone):
    """Onboarded people whose digest hour is the current hour where they live, so it is due now."""
    people = []
    for zone_name in zones:
        local = now.astimezone(ZoneInfo(zone_name))
        for _ in range(count_per_zone):
            profile = scheduled_profile(now=now, tz=zone_name, hour=local.hour)
            habit = add_habit(profile.user, start=local.date() - dt.timedelta(days=20))
            for days_ago in range(1, 20, 2):
                check_in(habit, local.date() - dt.timedelta(days=days_ago), tz=zone_name)
            EmailSchedule.objects.filter(user_id=profile.user_id).update(
                next_digest_at=digest_instant(local.date(), zone_name, local.hour)
            )
            people.append(profile)
    return people


def zones_with_time_left(now, minutes=10):
    """Zones where today's digest hour does not end during the test (a digest is never sent on the next day)."""
    usable = []
    for zone_name in ZONES:
        local = now.astimezone(ZoneInfo(zone_name))
        if local.hour < 23 or local.minute < 60 - minutes:
            usable.append(zone_name)
    return usable


def received(outbox: Path) -> Counter:
    """How many emails each address received, read back from the .eml files the workers wrote."""
    counts = Counter()
    for path in outbox.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        counts[message["To"]] += 1
    return counts


def wait_until(condition, timeout, clusters, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        for cluster in clusters:
            assert cluster.poll() is None, f"a qcluster exited while waiting for {what}"
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def sweep_lines(*logs: Path) -> list[dict]:
    """The one structured line each digest sweep logs, parsed into numbers."""
    lines = []
    for log in logs:
        for match in re.finditer(r"digest sweep now=\S+ ((?:\w+=\d+ ?)+)", log.read_text()):
            lines.append({key: int(value) for key, value in (pair.split("=") for pair in match.group(1).split())})
    return lines


def test_two_qclusters_on_postgresql_and_redis_send_each_due_person_exactly_one_email(shared_services, tmp_path):
    now = timezone.now()
    zones = zones_with_time_left(now)
    first = due_now(zones, now, count_per_zone=5)
    later = [scheduled_profile(now=now, tz=zone_name, hour=(now.astimezone(ZoneInfo(zone_name)).hour + 2) % 24)
             for zone_name in zones for _ in range(3)]
    coaching_state_ensure(user_ids=[p.user_id for p in first], now=now)
    call_command("setup_schedules", stdout=open(os.devnull, "w"))
    Schedule.objects.update(next_run=now + dt.timedelta(days=1))   # the schedules wait for phase two

    outbox, logs = tmp_path / "outbox", [tmp_path / "cluster-a.log", tmp_path / "cluster-b.log"]
    env = worker_environment(outbox)
    clusters = [start_cluster(env, log) for log in logs]
    try:
        # Phase one: many overlapping sweeps in small batches, spread over both clusters' workers.
        enqueue(env, ["'digests.tasks.sweep_digests', batch_size=3"] * 8 + ["'coaching.tasks.run_due_analyses', batch_size=4"] * 4)
        wait_until(lambda: DigestSend.objects.filter(status=SendStatus.SENT).count() >= len(first)
                   and AnalysisRun.objects.count() >= len(first) and len(sweep_lines(*logs)) == 8,
                   timeout=90, clusters=clusters, what="the queued sweeps")

        assert received(outbox) == Counter({p.user.email: 1 for p in first})
        for profile in first:
            assert AnalysisRun.objects.filter(user=profile.user).count() == 1
            assert AnalysisRun.objects.filter(user=profile.user, is_current=True).count() == 1
        lines = sweep_lines(*logs)
        assert sum(line["sent"] for line in lines) == len(first)
        assert sum(1 for line in lines if line["sent"]) >= 2, "the queued sweeps should have shared the work"
        assert all({"due", "sent", "skipped", "failed", "retrying", "duration_ms"} <= line.keys() for line in lines)

        # Phase two: the people whose hour comes later become due, and the schedules fire (the
        # django-q2 scheduler in each cluster looks every 30 s; only one of them takes each run).
        moment = timezone.now()
        for profile in later:
            local = moment.astimezone(ZoneInfo(profile.timezone))
            EmailSchedule.objects.filter(user_id=profile.user_id).update(
                digest_hour=local.hour, next_digest_at=digest_instant(local.date(), profile.timezone, local.hour))
        coaching_state_ensure(user_ids=[p.user_id for p in later], now=moment)
        CoachingState.objects.filter(user_id__in=[p.user_id for p in first]).update(next_analysis_at=moment)
        Schedule.objects.update(next_run=moment - dt.timedelta(seconds=1))
        wait_until(lambda: DigestSend.objects.filter(status=SendStatus.SENT).count() >= len(first) + len(later)
                   and AnalysisRun.objects.count() >= 2 * len(first) + len(later),
                   timeout=90, clusters=clusters, what="the scheduled sweeps")
        time.sleep(3)   # room for a late duplicate to show itself
    finally:
        stop(clusters)

    assert received(outbox) == Counter({p.user.email: 1 for p in first + later})
    assert DigestSend.objects.filter(status=SendStatus.SENT).count() == len(first) + len(later)
    for profile in first + later:
        assert AnalysisRun.objects.filter(user=profile.user, is_current=True).count() == 1
    assert AnalysisRun.objects.count() == 2 * len(first) + len(later)
    # Both clusters did part of the work, and the schedules (not only the queued tasks) ran.
    texts = [log.read_text() for log in logs]
    assert all(re.search(r"processing \S+ '(digests|coaching)\.tasks\.", text) for text in texts), texts
    assert any("from schedule [Digest sweep]" in text for text in texts)
    assert any("from schedule [Weekly coaching re-analysis]" in text for text in texts)
