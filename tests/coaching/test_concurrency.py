"""Several workers analysing at once keep one truth per person. Needs PostgreSQL: SQLite has no row locks."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections, transaction

from coaching.models import AnalysisRun, CoachingInsight, CoachingState, Recommendation
from coaching.services import _store_batch, analyse_due_users, analyse_users, coaching_state_ensure
from tests.coaching.test_analysis_service import person_with_history
from tests.digests.test_concurrency import run_concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_concurrent_sweeps_analyse_each_due_person_once():
    profiles = [person_with_history(dt.date(2026, 2, 2), 28, skip_weekday=2)[0] for _ in range(24)]
    coaching_state_ensure(user_ids=[p.user_id for p in profiles], now=NOW)

    analysed = run_concurrently(4, lambda: analyse_due_users(now=NOW, batch_size=5))

    assert sum(analysed) == 24
    assert AnalysisRun.objects.count() == 24
    for profile in profiles:
        assert AnalysisRun.objects.filter(user=profile.user, is_current=True).count() == 1
        assert Recommendation.objects.filter(user=profile.user, is_current=True).count() == 5


def waiting_for_a_lock(timeout=10.0) -> bool:
    """Whether another connection is blocked on a row lock (polled from a connection of its own)."""
    deadline = time.monotonic() + timeout
    watcher = connections.create_connection("default")
    try:
        while time.monotonic() < deadline:
            with watcher.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                if cursor.fetchone()[0]:
                    return True
            time.sleep(0.05)
        return False
    finally:
        watcher.close()


def test_two_workers_storing_the_same_persons_analysis_leave_one_current_run():
    """Worker A has stored its run but not committed when worker B stores its own: B waits for A
    and then replaces A's run, so the person never sees two sets of advice."""
    profile, _ = person_with_history(dt.date(2026, 2, 2), 28, skip_weekday=2)
    analyse_users(user_ids=[profile.user_id], now=NOW - dt.timedelta(days=7))
    stored, release = threading.Event(), threading.Event()

    def worker_a():
        from coaching.services import _load_batch, _run_core

        try:
            profiles, todays, habits, rows, skips, pauses, weights = _load_batch([profile.user_id], NOW)
            uid = profile.user_id
            analysis = _run_core(profiles[uid], todays[uid], habits[uid], rows[uid], skips, pauses, weights.get(uid, {}))
            with transaction.atomic():
                _store_batch([(profiles[uid], todays[uid], analysis)], NOW)
                stored.set()
                release.wait(10)
        finally:
            connections.close_all()

    def worker_b():
        try:
            analyse_users(user_ids=[profile.user_id], now=NOW + dt.timedelta(minutes=1))
        finally:
            connections.close_all()

    a, b = threading.Thread(target=worker_a), threading.Thread(target=worker_b)
    a.start()
    try:
        assert stored.wait(10)
        b.start()
        assert waiting_for_a_lock(), "worker B should wait for worker A's lock"
    finally:
        release.set()
        a.join(10)
        if b.ident:
            b.join(10)

    current = AnalysisRun.objects.filter(user=profile.user, is_current=True)
    assert current.count() == 1
    assert current.get().generated_at == NOW + dt.timedelta(minutes=1)
    assert not CoachingInsight.objects.filter(user=profile.user, is_current=True, run__is_current=False).exists()
    assert Recommendation.objects.filter(user=profile.user, is_current=True).count() == 5
    assert CoachingState.objects.get(user=profile.user).last_analysis_at == NOW + dt.timedelta(minutes=1)
