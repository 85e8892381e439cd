"""Delivery: each claimed send composed, handed to the mailer and its outcome recorded.

`deliver_one` is the "handle one" step the sweep loops over and tests call directly. The moment
a message is handed to the mailer is stored first: a send that never got that far (its sweep
died) goes out again; one that did may have been sent, so it is never blindly repeated.
"""

import logging
import smtplib
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import requests
from anymail.exceptions import (
    AnymailError,
    AnymailInvalidAddress,
    AnymailRecipientsRefused,
    AnymailRequestsAPIError,
)
from django.core.mail import get_connection
from django.utils import timezone

from habits.days import day_bounds, today_for
from onboarding.models import CoachingProfile

from .content import compose_digest
from .drip import compose_milestone
from .emails import build_email
from .models import DigestSend, EmailSchedule, SendStatus
from .scheduling import digest_schedule_update
from .selectors import Recipient, digest_batch, rendered_send

logger = logging.getLogger("cadence.digests")

MAX_ATTEMPTS = 5
FIRST_RETRY_AFTER = timedelta(minutes=5)   # then 15, 45, 135 minutes: always within the person's day


@dataclass
class SweepResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retrying: int = 0
    unknown: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    def add(self, outcome: str | None) -> None:
        if outcome:
            setattr(self, outcome, getattr(self, outcome) + 1)


def _finish(send: DigestSend, **changes) -> None:
    """Record the outcome of one claimed send (one query)."""
    DigestSend.objects.filter(pk=send.pk, status=SendStatus.SENDING).update(**changes)


def compose_send(send: DigestSend, batch) -> dict:
    """What one email says: the digest of its day and/or its drip milestone."""
    content = dict(send.content or {})
    if not content:
        inputs = batch.inputs[send.user_id]
        content = compose_digest(inputs) if send.includes_digest else {}
    if send.milestone is not None and "milestone" not in content:
        content["milestone"] = compose_milestone(batch.drip[send.user_id])
        if content["milestone"].get("recommendations"):
            content["tip"] = None   # the milestone lists the top five already: the tip would repeat one
    return content


def send_email(*, send: DigestSend, recipient: Recipient, content: dict):
    """The message for one send, rendered from its stored content."""
    rendered, unsubscribe = rendered_send(send=send, content=content)
    message = build_email(
        kinds=send.kinds, to=recipient.email, rendered=rendered, user_id=send.user_id, send_id=send.pk,
        unsubscribe=unsubscribe,
    )
    message.suppression_checked = True   # the sweep checked the whole batch at once
    return rendered, message


def deliver(sends: list[DigestSend], now: datetime, connection, result: SweepResult) -> None:
    batch = digest_batch(sends)
    for send in sends:
        result.add(deliver_one(send, batch, now, connection))


def deliver_one(send: DigestSend, batch, now: datetime, connection) -> str | None:
    """Hand one claimed send to the mailer and record what happened; returns the outcome."""
    recipient = batch.recipients.get(send.user_id)
    if recipient is None:
        return None  # the account was deleted since the claim: its row went with it
    if refusal := recipient.refusal(send.kinds):
        _finish(send, status=SendStatus.SKIPPED, reason=refusal)
        return SendStatus.SKIPPED
    _, day_end = day_bounds(send.local_date, recipient.timezone, recipient.day_start_hour)
    if now >= day_end:  # never sent late on another day
        _finish(send, status=SendStatus.SKIPPED, reason="Its day ended before it could be sent.")
        return SendStatus.SKIPPED
    attempts = send.attempts + 1
    try:
        content = compose_send(send, batch)
        rendered, message = send_email(send=send, recipient=recipient, content=content)
    except Exception as error:  # one person's broken email must not stop everyone else's
        logger.exception("Could not compose email %s", send.pk)
        _finish(send, status=SendStatus.FAILED, attempts=attempts, reason=f"Could not compose: {describe_error(error)}"[:500])
        return SendStatus.FAILED
    # Stored with every outcome, so a retry sends exactly this email and the history can show it.
    stored = {"subject": rendered.subject[:200], "content": content, "tip_key": (content.get("tip") or {}).get("key", "")}
    # Only the sweep that still holds the claim may hand it over: a claim recovered by another sweep
    # (this one took too long) has a new token, and then it is that sweep's email to send.
    if not DigestSend.objects.filter(pk=send.pk, status=SendStatus.SENDING, claim_token=send.claim_token).update(
        handed_over_at=now, **stored
    ):
        return None
    try:
        connection.send_messages([message])
    except Exception as error:  # any mailer error is classified and recorded, never dropped
        outcome, reason = classify_send_error(error), describe_error(error)
        retry_at = _retry_at(attempts, now, day_end) if outcome == SendStatus.RETRYING else None
        if outcome == SendStatus.RETRYING and retry_at is None:
            outcome, reason = SendStatus.FAILED, f"Gave up after {attempts} attempts. {reason}"[:500]
        logger.warning("Email %s for user %s: %s (%s)", send.pk, send.user_id, outcome, reason)
        _finish(send, status=outcome, attempts=attempts, next_attempt_at=retry_at, reason=reason, handed_over_at=None
                if outcome == SendStatus.RETRYING else now)
        _reset(connection)
        return outcome
    _finish(send, status=SendStatus.SENT, attempts=attempts, sent_at=now, reason="", message_id=_message_id(message))
    return SendStatus.SENT


def drip_welcome_send(*, user_id: int, now: datetime | None = None) -> str | None:
    """Day 0 of the drip, sent at once when onboarding completes; it is that day's one email."""
    now = now or timezone.now()
    profile = CoachingProfile.objects.filter(user_id=user_id).first()
    if profile is None or not profile.is_onboarded:
        return None
    if not EmailSchedule.objects.filter(user_id=user_id, drip_enabled=True).exists():
        return None
    day = today_for(profile, now)
    token = uuid.uuid4()
    DigestSend.objects.bulk_create([DigestSend(
        user_id=user_id, local_date=day, covered_date=day, includes_digest=False, milestone=0,
        status=SendStatus.SENDING, claim_token=token, claimed_at=now,
    )], ignore_conflicts=True)
    sends = list(DigestSend.objects.filter(claim_token=token))
    if not sends:
        return None
    digest_schedule_update(profile=profile, now=now)   # the welcome took today's one email: the next is tomorrow's
    result = SweepResult()
    with get_connection() as connection:
        deliver(sends, now, connection, result)
    return next((outcome for outcome, count in result.as_dict().items() if count), None)


def describe_error(error: Exception) -> str:
    """The reason stored on a DigestSend; describing an error must not raise a second one."""
    try:
        text = str(error)
    except Exception:  # some provider errors fail to format without a response object
        text = repr(error.args)
    return f"{type(error).__name__}: {text}"[:500]


def _reset(connection) -> None:
    """After an error an SMTP connection may be half-open; the next send opens a fresh one."""
    try:
        connection.close()
    except Exception:  # closing a broken connection can fail too; the next send reconnects
        logger.debug("Closing the mail connection failed", exc_info=True)


def _message_id(message) -> str:
    status = getattr(message, "anymail_status", None)
    message_id = getattr(status, "message_id", None)
    return "" if message_id is None else str(message_id)[:200]


def _retry_at(attempts: int, now: datetime, day_end: datetime) -> datetime | None:
    """Back off (5, 15, 45 ... minutes) while the email's own day lasts; None means give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    retry_at = now + FIRST_RETRY_AFTER * 3 ** (attempts - 1)
    return retry_at if retry_at < day_end else None


def classify_send_error(error: Exception) -> str:
    """What a failed hand-off means: retry, give up, or "unknown" when it may have been sent.

    A timeout or a dropped connection after the request went out may have reached the
    provider: it is recorded as unknown and never repeated blindly.
    """
    if isinstance(error, (AnymailRecipientsRefused, AnymailInvalidAddress, smtplib.SMTPRecipientsRefused,
                          smtplib.SMTPSenderRefused)):
        return SendStatus.FAILED
    if isinstance(error, requests.ConnectTimeout):
        return SendStatus.RETRYING  # never connected, so nothing was sent
    if isinstance(error, (TimeoutError, requests.Timeout, smtplib.SMTPServerDisconnected)):
        return SendStatus.UNKNOWN
    if isinstance(error, AnymailRequestsAPIError) and error.status_code is None:
        return SendStatus.UNKNOWN
    if isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500:
        return SendStatus.FAILED
    if isinstance(error, (AnymailError, smtplib.SMTPException, OSError)):
        return SendStatus.RETRYING
    return SendStatus.FAILED
