"""Faults: provider errors are retried within the day, unknown outcomes are never repeated blindly."""

import datetime as dt
import smtplib
from pathlib import Path

import pytest
import requests
from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.exceptions import AnymailAPIError, AnymailRequestsAPIError
from django.core import mail

from digests.models import DigestSend, SendStatus
from digests.delivery import classify_send_error
from digests.services import digests_sweep
from tests.digests.conftest import add_habit, at, scheduled_profile
from tests.factories import DigestSendFactory

pytestmark = pytest.mark.django_db

EVENING = at("2026-06-01T19:00")   # 20:00 in London; the local day ends at 23:00 UTC


class FlakyBackend(AnymailTestBackend):
    """anymail's test backend, except that it raises the queued errors first."""

    errors: list = []
    calls = 0

    def post_to_esp(self, payload, message):
        FlakyBackend.calls += 1
        if FlakyBackend.errors:
            error = FlakyBackend.errors.pop(0)
            raise error() if callable(error) and isinstance(error, type) else error
        return super().post_to_esp(payload, message)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.errors, FlakyBackend.calls = [], 0
    return FlakyBackend


def read_timeout():
    """What anymail raises when the ESP does not answer in time (see base_requests.post_to_esp)."""
    kind = type("AnymailRequestsAPIError", (AnymailRequestsAPIError, requests.ReadTimeout), {})
    return kind("Error posting to https://api.example.com/email:")


def sweep_every_15_minutes(start, end):
    now = start
    while now <= end:
        digests_sweep(now=now)
        now += dt.timedelta(minutes=15)


def test_provider_error_is_retried_with_backoff_and_then_sent_once(flaky):
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    flaky.errors = [AnymailAPIError("Service unavailable", status_code=503)]

    first = digests_sweep(now=EVENING)
    send = DigestSend.objects.get(user=profile.user)
    assert first.retrying == 1 and mail.outbox == []
    assert (send.status, send.attempts, send.next_attempt_at) == (SendStatus.RETRYING, 1, EVENING + dt.timedelta(minutes=5))
    assert "Service unavailable" in send.reason and send.subject

    assert digests_sweep(now=EVENING + dt.timedelta(minutes=1)).sent == 0   # not due yet
    second = digests_sweep(now=EVENING + dt.timedelta(minutes=15))

    send.refresh_from_db()
    assert second.sent == 1 and (send.status, send.attempts) == (SendStatus.SENT, 2)
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == send.subject
    sweep_every_15_minutes(EVENING + dt.timedelta(minutes=30), at("2026-06-01T23:45"))
    assert len(mail.outbox) == 1


def test_persistent_provider_errors_end_as_failed_with_the_reason_never_dropped(flaky):
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    flaky.errors = [AnymailAPIError("Rate limited", status_code=429) for _ in range(20)]

    sweep_every_15_minutes(EVENING, at("2026-06-02T02:00"))

    send = DigestSend.objects.get(user=profile.user)
    assert send.status == SendStatus.FAILED and send.attempts == 5
    assert send.reason.startswith("Gave up after 5 attempts") and "Rate limited" in send.reason
    assert flaky.calls == 5 and mail.outbox == []


def test_retries_stop_when_the_persons_day_ends(flaky):
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=23)   # 22:00 UTC; the day ends at 23:00 UTC
    flaky.errors = [AnymailAPIError("Bad gateway", status_code=502) for _ in range(5)]

    sweep_every_15_minutes(at("2026-06-01T22:00"), at("2026-06-02T00:00"))

    send = DigestSend.objects.get(user=profile.user)
    assert send.status == SendStatus.FAILED and send.attempts == 3
    assert send.next_attempt_at is None


@pytest.mark.parametrize("error", [read_timeout, TimeoutError, smtplib.SMTPServerDisconnected])
def test_a_send_that_may_have_reached_the_provider_is_marked_unknown_and_not_repeated(flaky, error):
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    flaky.errors = [error()]

    result = digests_sweep(now=EVENING)
    sweep_every_15_minutes(EVENING + dt.timedelta(minutes=15), at("2026-06-01T23:45"))

    send = DigestSend.objects.get(user=profile.user)
    assert result.unknown == 1 and send.status == SendStatus.UNKNOWN and send.attempts == 1
    assert flaky.calls == 1


def test_one_bad_address_does_not_stop_the_sweep():
    broken = scheduled_profile(now=at("2026-06-01T12:00"), hour=20, email="not an address")
    fine = [scheduled_profile(now=at("2026-06-01T12:00"), hour=20) for _ in range(3)]

    result = digests_sweep(now=EVENING)

    assert (result.sent, result.failed) == (3, 1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in fine)
    send = DigestSend.objects.get(user=broken.user)
    assert send.status == SendStatus.FAILED and "AnymailInvalidAddress" in send.reason


def test_one_broken_template_does_not_stop_the_sweep(settings, tmp_path):
    real = Path(settings.BASE_DIR, "templates/emails/digest/body.html").read_text()
    override = tmp_path / "emails" / "digest"
    override.mkdir(parents=True)
    (override / "body.html").write_text(
        real.replace("{% block content %}", '{% block content %}{% if digest.greeting == "Hi Broken," %}{% include "emails/missing.html" %}{% endif %}', 1)
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    broken = scheduled_profile(now=at("2026-06-01T12:00"), hour=20, first_name="Broken")
    fine = scheduled_profile(now=at("2026-06-01T12:00"), hour=20, first_name="Fine")
    add_habit(broken.user)

    result = digests_sweep(now=EVENING)

    assert (result.sent, result.failed) == (1, 1)
    assert [m.to for m in mail.outbox] == [[fine.user.email]]
    send = DigestSend.objects.get(user=broken.user)
    assert send.status == SendStatus.FAILED and "missing.html" in send.reason


def test_a_send_handed_to_the_mailer_by_a_sweep_that_died_is_unknown_and_never_resent():
    profile = scheduled_profile(now=at("2026-06-02T12:00"), hour=20)
    stuck = DigestSendFactory(user=profile.user, local_date=dt.date(2026, 6, 1), status="sending",
                              claimed_at=at("2026-06-01T19:00"), handed_over_at=at("2026-06-01T19:00"))

    result = digests_sweep(now=at("2026-06-01T19:30"))

    stuck.refresh_from_db()
    assert result.unknown == 1 and stuck.status == SendStatus.UNKNOWN
    assert mail.outbox == []


def test_a_claim_that_never_reached_the_mailer_is_sent_by_the_next_sweep_the_same_day():
    profile = scheduled_profile(now=at("2026-06-02T12:00"), hour=20)
    add_habit(profile.user)
    stuck = DigestSendFactory(user=profile.user, local_date=dt.date(2026, 6, 1), covered_date=dt.date(2026, 6, 1),
                              status="sending", claimed_at=at("2026-06-01T19:00"), content={})

    result = digests_sweep(now=at("2026-06-01T19:15"))

    stuck.refresh_from_db()
    assert result.sent == 1 and stuck.status == SendStatus.SENT
    assert [m.to for m in mail.outbox] == [[profile.user.email]]
    assert mail.outbox[0].extra_headers["X-Cadence-Kind"] == "digest"


def test_a_claim_that_never_reached_the_mailer_is_not_sent_on_another_day():
    profile = scheduled_profile(now=at("2026-06-02T12:00"), hour=20)
    stuck = DigestSendFactory(user=profile.user, local_date=dt.date(2026, 6, 1), status="sending",
                              claimed_at=at("2026-06-01T19:00"), content={})

    digests_sweep(now=at("2026-06-02T08:00"))  # 09:00 on 2 June in London: 1 June is over

    stuck.refresh_from_db()
    assert stuck.status == SendStatus.SKIPPED and mail.outbox == []


@pytest.mark.parametrize("error, outcome", [
    (AnymailAPIError("server error", status_code=500), SendStatus.RETRYING),
    (requests.ConnectTimeout(), SendStatus.RETRYING),
    (ConnectionRefusedError(), SendStatus.RETRYING),
    (smtplib.SMTPDataError(451, b"try later"), SendStatus.RETRYING),
    (smtplib.SMTPDataError(554, b"rejected"), SendStatus.FAILED),
    (smtplib.SMTPRecipientsRefused({}), SendStatus.FAILED),
    (requests.ReadTimeout(), SendStatus.UNKNOWN),
    (AnymailRequestsAPIError("no response"), SendStatus.UNKNOWN),
    (ValueError("a bug"), SendStatus.FAILED),
])
def test_send_errors_are_classified_by_whether_the_message_may_have_left(error, outcome):
    assert classify_send_error(error) == outcome


def test_a_claim_taken_over_by_a_later_sweep_is_sent_once_even_if_the_slow_sweep_carries_on():
    from django.core.mail import get_connection

    from digests.claims import claim_due_emails, claim_due_retries, recover_stale_claims
    from digests.delivery import SweepResult, deliver

    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    add_habit(profile.user)
    _, slow_sweeps_claims, _ = claim_due_emails(EVENING, 500)          # sweep A claims, then stalls
    later = EVENING + dt.timedelta(minutes=11)
    recover_stale_claims(later)                                        # sweep B finds the claim stale...
    with get_connection() as connection:
        deliver(claim_due_retries(later, 500), later, connection, SweepResult())   # ...and sends it
        deliver(slow_sweeps_claims, later, connection, SweepResult())              # A wakes up and carries on
    assert [m.to for m in mail.outbox] == [[profile.user.email]]
    assert DigestSend.objects.get(user=profile.user).status == SendStatus.SENT
