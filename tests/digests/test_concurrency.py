"""Two sweeps at once never send twice. Needs PostgreSQL: SQLite has no row locks."""

import threading
import time

import pytest
from anymail.backends.test import EmailBackend as AnymailTestBackend
from django.core import mail
from django.db import connection, connections

from digests.models import DigestSend, EmailSchedule, SendStatus
from digests.services import digests_sweep
from tests.digests.conftest import at, scheduled_profile

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

EVENING = at("2026-06-01T19:00")


class SlowBackend(AnymailTestBackend):
    """Sends take a moment, so two sweeps really overlap."""

    lock = threading.Lock()

    def post_to_esp(self, payload, message):
        time.sleep(0.002)
        with SlowBackend.lock:
            return super().post_to_esp(payload, message)


def run_concurrently(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.parametrize("batch_size", [7, 500])
def test_concurrent_sweeps_send_each_digest_exactly_once(settings, batch_size):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    profiles = [scheduled_profile(now=at("2026-06-01T12:00"), hour=20) for _ in range(40)]

    results = run_concurrently(4, lambda: digests_sweep(now=EVENING, batch_size=batch_size))

    assert sum(r.sent for r in results) == 40
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in profiles)
    assert DigestSend.objects.filter(status=SendStatus.SENT).count() == 40


def test_a_sweep_racing_a_rerun_with_reset_schedules_still_sends_once(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    profiles = [scheduled_profile(now=at("2026-06-01T12:00"), hour=20) for _ in range(20)]
    digests_sweep(now=EVENING)
    EmailSchedule.objects.update(next_digest_at=EVENING)   # as if every schedule were reset

    results = run_concurrently(3, lambda: digests_sweep(now=EVENING))

    assert sum(r.sent for r in results) == 0
    assert len(mail.outbox) == len(profiles)
    assert DigestSend.objects.count() == 20


def test_concurrent_sweeps_and_a_rerun_send_each_drip_milestone_exactly_once(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    joined = at("2026-05-25T09:00")  # day 7 of the drip falls on 1 June
    profiles = [scheduled_profile(now=at("2026-06-01T12:00"), hour=20, joined=joined) for _ in range(30)]
    drip_only = [scheduled_profile(now=at("2026-06-01T12:00"), hour=20, joined=joined, digest_enabled=False)
                 for _ in range(10)]

    run_concurrently(4, lambda: digests_sweep(now=EVENING, batch_size=7))
    EmailSchedule.objects.update(next_digest_at=EVENING)   # a rerun with every schedule reset
    run_concurrently(2, lambda: digests_sweep(now=EVENING))

    kinds = sorted((m.to[0], m.extra_headers["X-Cadence-Kind"]) for m in mail.outbox)
    assert kinds == sorted([(p.user.email, "digest drip-day-7") for p in profiles]
                           + [(p.user.email, "drip-day-7") for p in drip_only])
    assert DigestSend.objects.filter(milestone=7).count() == 40
