"""A sweep killed with SIGKILL halfway through a batch loses nobody's digest and sends nobody two.

A real `digests_sweep` runs in another process against the test database, with a mail backend
that records each hand-over and then takes a quarter of a second; it is killed after five of
twenty messages. The next sweep of the same local day sends the claims that never reached the
mailer and leaves the one that did as "unknown". Needs PostgreSQL (another process shares the
test database while this test holds it).
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from digests.models import DigestSend, SendStatus
from digests.services import digests_sweep
from tests.digests.conftest import add_habit, at, scheduled_profile

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a second process shares the database on PostgreSQL"),
]

ROOT = Path(__file__).resolve().parents[2]
EVENING = at("2026-06-01T19:00")
SWEEP = """
import django, os, sys
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
django.setup()
from django.conf import settings
settings.DATABASES["default"]["NAME"] = {name!r}
settings.EMAIL_BACKEND = "tests.digests.slow_file_backend.EmailBackend"
from datetime import datetime
from digests.services import digests_sweep
digests_sweep(now=datetime.fromisoformat({now!r}))
"""


def test_a_sweep_killed_mid_batch_loses_no_digest_and_sends_none_twice(tmp_path):
    people = [scheduled_profile(now=at("2026-06-01T12:00"), hour=20, first_name=f"P{n}", email=f"p{n}@example.com")
              for n in range(20)]
    for profile in people:
        add_habit(profile.user)
    outbox = tmp_path / "outbox.txt"
    outbox.touch()
    script = SWEEP.format(root=str(ROOT), name=settings.DATABASES["default"]["NAME"], now=EVENING.isoformat())
    env = {**os.environ, "SLOW_OUTBOX": str(outbox)}
    sweep = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while len(outbox.read_text().splitlines()) < 5:
        assert sweep.poll() is None, "the sweep finished before it could be killed"
        assert time.monotonic() < deadline, "the sweep never started sending"
        time.sleep(0.02)
    sweep.send_signal(signal.SIGKILL)
    sweep.wait()

    killed = [line.split()[0] for line in outbox.read_text().splitlines()]
    assert 5 <= len(killed) < 20
    handed_over = DigestSend.objects.filter(status=SendStatus.SENDING, handed_over_at__isnull=False).count()
    assert handed_over == 1                                                # killed while sending one

    digests_sweep(now=at("2026-06-01T19:15"))  # the next sweep, same evening

    resent = [message.to[0] for message in mail.outbox]
    received = Counter(killed + resent)
    assert set(received) == {p.user.email for p in people}                # everyone due got their digest
    assert max(received.values()) == 1                                     # and nobody got two
    statuses = Counter(DigestSend.objects.values_list("status", flat=True))
    assert statuses[SendStatus.UNKNOWN] == 1                               # handed over when killed: may have gone
    assert statuses[SendStatus.SENT] == 19
