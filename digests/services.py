"""Every change the digests app makes goes through these functions.

The sweep is claim-then-send, as healthchecks does it: a due profile's schedule is advanced
and its DigestSend row (unique per person and local day) is written in one transaction,
and only then is the message handed to the mailer. Row locks (`skip_locked`) keep two sweeps
out of each other's way; the unique key makes a second send impossible even if they meet.
"""

import logging
import smtplib
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

import requests
from anymail.exceptions import (
    AnymailCancelSend,
    AnymailError,
    AnymailInvalidAddress,
    AnymailRecipientsRefused,
    AnymailRequestsAPIError,
)
from anymail.signals import EventType, RejectReason
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from habits.days import day_bounds
from onboarding.models import CoachingProfile
from onboarding.services import profile_update

from . import schedule
from .content import compose_digest
from .emails import build_email, render_email
from .models import DIGEST_KIND, STREAM_FIELDS, DigestSend, EmailSuppression, SendStatus, Stream, SuppressionReason
from .selectors import Recipient, digest_batch, digest_email_context, suppressed_addresses

logger = logging.getLogger("cadence.digests")

BATCH_SIZE = 500
MAX_ATTEMPTS = 5
FIRST_RETRY_AFTER = timedelta(minutes=5)   # then 15, 45, 135 minutes: always within the person's day
STALE_CLAIM_AFTER = timedelta(hours=1)     # a sweep that died mid-send leaves rows this old in "sending"


@dataclass
class SweepResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retrying: int = 0
    unknown: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


# Scheduling

def digest_schedule_update(*, profile: CoachingProfile, now: datetime | None = None) -> datetime | None:
    """Store when this person's next digest is due (None when they get none)."""
    next_at = None
    if profile.digest_enabled and profile.is_onboarded:
        last_day = DigestSend.objects.filter(user_id=profile.user_id).aggregate(last=Max("local_date"))["last"]
        next_at = schedule.next_digest_at(
            now=now or timezone.now(), tz_name=profile.timezone, digest_hour=profile.digest_hour,
            day_start_hour=profile.day_start_hour, after=last_day,
        )
    CoachingProfile.objects.filter(pk=profile.pk).update(next_digest_at=next_at)
    profile.next_digest_at = next_at
    return next_at


def digest_schedules_bulk_update(*, profile_ids, now: datetime | None = None) -> int:
    """Schedules for profiles created in bulk (seeding, imports), in a few queries."""
    now = now or timezone.now()
    profiles = list(CoachingProfile.objects.filter(pk__in=profile_ids).only(
        "pk", "user_id", "timezone", "digest_hour", "day_start_hour", "digest_enabled", "onboarding_completed_at"
    ))
    last_days = dict(
        DigestSend.objects.filter(user_id__in=[p.user_id for p in profiles])
        .values("user_id").annotate(last=Max("local_date")).values_list("user_id", "last")
    )
    for profile in profiles:
        profile.next_digest_at = None
        if profile.digest_enabled and profile.is_onboarded:
            profile.next_digest_at = schedule.next_digest_at(
                now=now, tz_name=profile.timezone, digest_hour=profile.digest_hour,
                day_start_hour=profile.day_start_hour, after=last_days.get(profile.user_id),
            )
    CoachingProfile.objects.bulk_update(profiles, ["next_digest_at"], batch_size=BATCH_SIZE)
    return len(profiles)


# The sweep

def digests_sweep(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Send every due digest and every due retry once, as if the time were `now`."""
    now = now or timezone.now()
    result = SweepResult()
    result.unknown += _give_up_on_stale_claims(now)
    with get_connection() as connection:
        while sends := _claim_due_retries(now, batch_size):
            _deliver(sends, now, connection, result)
        while True:
            found, sends, skipped = _claim_due_digests(now, batch_size)
            result.skipped += skipped
            if not found:
                break
            _deliver(sends, now, connection, result)
    if any(asdict(result).values()):
        logger.info("Digest sweep at %s: %s", now.isoformat(), result.as_dict())
    return result


def _give_up_on_stale_claims(now: datetime) -> int:
    return DigestSend.objects.filter(status=SendStatus.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER).update(
        status=SendStatus.UNKNOWN,
        reason="The sweep stopped while sending; not repeated because it may have reached the provider.",
    )


def _claim_due_digests(now: datetime, batch_size: int) -> tuple[bool, list[DigestSend], int]:
    """Claim a batch of due profiles: advance their schedule and write their DigestSend rows.

    Returns whether any profile was due, the sends to deliver, and how many were skipped.
    """
    token = uuid.uuid4()
    with transaction.atomic():
        due = list(
            CoachingProfile.objects.filter(next_digest_at__lte=now)
            .select_for_update(skip_locked=True)
            .order_by("next_digest_at")
            .values_list("pk", "user_id", "timezone", "digest_hour", "day_start_hour", "next_digest_at", "digest_enabled")
            [:batch_size]
        )
        if not due:
            return False, [], 0
        rows, profiles = [], []
        for pk, user_id, tz_name, hour, day_start, due_at, enabled in due:
            if not enabled:
                profiles.append(CoachingProfile(pk=pk, next_digest_at=None))
                continue
            plan = schedule.plan_due_digest(
                due_at=due_at, now=now, tz_name=tz_name, digest_hour=hour, day_start_hour=day_start
            )
            common = {"user_id": user_id, "claim_token": token, "claimed_at": now}
            if plan.skipped_day:
                rows.append(DigestSend(
                    **common, local_date=plan.skipped_day, covered_date=schedule.covered_day(plan.skipped_day, hour, day_start),
                    status=SendStatus.SKIPPED, reason=f"Too late: the sweep did not run before this day ended (due {due_at:%Y-%m-%d %H:%M} UTC).",
                ))
            if plan.send_day:
                rows.append(DigestSend(
                    **common, local_date=plan.send_day, covered_date=schedule.covered_day(plan.send_day, hour, day_start),
                    status=SendStatus.SENDING,
                ))
            profiles.append(CoachingProfile(pk=pk, next_digest_at=plan.next_at))
        # A day that already has a row (an earlier sweep, a zone change) is silently not claimed again.
        DigestSend.objects.bulk_create(rows, ignore_conflicts=True)
        CoachingProfile.objects.bulk_update(profiles, ["next_digest_at"])
    claimed = list(DigestSend.objects.filter(claim_token=token).order_by())
    sends = [s for s in claimed if s.status == SendStatus.SENDING]
    return True, sends, len(claimed) - len(sends)


def _claim_due_retries(now: datetime, batch_size: int) -> list[DigestSend]:
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            DigestSend.objects.due_retries(now).select_for_update(skip_locked=True)
            .order_by("next_attempt_at").values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return []
        DigestSend.objects.filter(pk__in=ids, status=SendStatus.RETRYING).update(
            status=SendStatus.SENDING, claim_token=token, claimed_at=now, next_attempt_at=None
        )
    return list(DigestSend.objects.filter(claim_token=token, status=SendStatus.SENDING).order_by())


def _finish(send: DigestSend, **changes) -> None:
    """Record the outcome of one claimed send (the only per-digest query of a sweep)."""
    DigestSend.objects.filter(pk=send.pk, status=SendStatus.SENDING).update(**changes)


def digest_email(*, send: DigestSend, recipient: Recipient, content: dict):
    """The message for one digest, rendered from its stored content."""
    context = digest_email_context(send=send, content=content)
    rendered = render_email(DIGEST_KIND, context)
    message = build_email(
        kind=DIGEST_KIND, to=recipient.email, rendered=rendered, user_id=send.user_id, send_id=send.pk,
        unsubscribe=context["links"]["unsubscribe"],
    )
    message.suppression_checked = True   # the sweep checked the whole batch at once
    return rendered, message


def _deliver(sends: list[DigestSend], now: datetime, connection, result: SweepResult) -> None:
    batch = digest_batch(sends)
    for send in sends:
        if outcome := _deliver_one(send, batch, now, connection):
            setattr(result, outcome, getattr(result, outcome) + 1)


def _deliver_one(send: DigestSend, batch, now: datetime, connection) -> str | None:
    """Hand one claimed digest to the mailer and record what happened; returns the outcome."""
    recipient = batch.recipients.get(send.user_id)
    if recipient is None:
        return None  # the account was deleted since the claim: its row went with it
    if refusal := recipient.refusal():
        _finish(send, status=SendStatus.SKIPPED, reason=refusal)
        return SendStatus.SKIPPED
    attempts = send.attempts + 1
    try:
        content = send.content or compose_digest(batch.inputs[send.user_id])
        rendered, message = digest_email(send=send, recipient=recipient, content=content)
    except Exception as error:  # one person's broken digest must not stop everyone else's
        logger.exception("Could not compose digest %s", send.pk)
        _finish(send, status=SendStatus.FAILED, attempts=attempts, reason=f"Could not compose: {describe_error(error)}"[:500])
        return SendStatus.FAILED
    # Stored with every outcome, so a retry sends exactly this email and the history can show it.
    stored = {"subject": rendered.subject[:200], "content": content, "tip_key": (content.get("tip") or {}).get("key", "")}
    try:
        connection.send_messages([message])
    except Exception as error:  # any mailer error is classified and recorded, never dropped
        outcome, reason = classify_send_error(error), describe_error(error)
        retry_at = _retry_at(send, recipient, attempts, now) if outcome == SendStatus.RETRYING else None
        if outcome == SendStatus.RETRYING and retry_at is None:
            outcome, reason = SendStatus.FAILED, f"Gave up after {attempts} attempts. {reason}"[:500]
        logger.warning("Digest %s for user %s: %s (%s)", send.pk, send.user_id, outcome, reason)
        _finish(send, status=outcome, attempts=attempts, next_attempt_at=retry_at, reason=reason, **stored)
        _reset(connection)
        return outcome
    _finish(send, status=SendStatus.SENT, attempts=attempts, sent_at=now, reason="", message_id=_message_id(message), **stored)
    return SendStatus.SENT


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


def _retry_at(send: DigestSend, recipient: Recipient, attempts: int, now: datetime) -> datetime | None:
    """Back off (5, 15, 45 ... minutes) while the digest's own day lasts; None means give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    retry_at = now + FIRST_RETRY_AFTER * 3 ** (attempts - 1)
    _, day_end = day_bounds(send.local_date, recipient.timezone, recipient.day_start_hour)
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


# Preferences, unsubscribes and provider events

def email_preferences_update(*, profile: CoachingProfile, changes: dict) -> CoachingProfile:
    """Switch streams on or off through onboarding's profile service (which reschedules the digest)."""
    changes = {field: bool(changes[field]) for field in STREAM_FIELDS.values() if field in changes}
    return profile_update(profile=profile, changes=changes)


def email_stream_set(*, user_id: int, stream: str, enabled: bool) -> bool:
    """Turn one email stream on or off for a person; returns whether anything changed."""
    profile = CoachingProfile.objects.filter(user_id=user_id).first()
    field = STREAM_FIELDS[Stream(stream)]
    if profile is None or getattr(profile, field) == enabled:
        return False
    email_preferences_update(profile=profile, changes={field: enabled})
    return True


def message_drop_suppressed(message) -> None:
    """Remove suppressed addresses from any outgoing message; cancel it when nobody is left.

    Runs for every email sent through anymail (allauth's too). Digests were checked in bulk by
    the sweep and say so with `suppression_checked`, so they cost no extra query.
    """
    if getattr(message, "suppression_checked", False):
        return
    fields = ("to", "cc", "bcc")
    suppressed = suppressed_addresses(parseaddr(a)[1] for field in fields for a in getattr(message, field))
    if not suppressed:
        return
    for field in fields:
        setattr(message, field, [a for a in getattr(message, field) if parseaddr(a)[1].lower() not in suppressed])
    if not message.recipients():
        raise AnymailCancelSend("Every recipient is suppressed (hard bounce or spam complaint).")


def address_suppress(*, email: str, reason: str, detail: str = "") -> EmailSuppression | None:
    if not email:
        return None
    suppression, _ = EmailSuppression.objects.get_or_create(
        email=email.strip().lower(), defaults={"reason": reason, "detail": detail[:500]}
    )
    return suppression


EVENT_FIELDS = {
    EventType.DELIVERED: "delivered_at",
    EventType.OPENED: "opened_at",
    EventType.CLICKED: "clicked_at",
    EventType.BOUNCED: "bounced_at",
    EventType.COMPLAINED: "complained_at",
    EventType.UNSUBSCRIBED: "unsubscribed_at",
}
SOFT_BOUNCE_TYPES = {"SoftBounce", "Transient", "DnsError"}  # ESP words for "try again later"


def _send_for_event(event) -> DigestSend | None:
    metadata = event.metadata or {}
    send_id = str(metadata.get("send_id") or "")
    if metadata.get("kind", DIGEST_KIND) == DIGEST_KIND and send_id.isdigit():
        return DigestSend.objects.filter(pk=int(send_id)).first()
    if event.message_id:
        return DigestSend.objects.filter(message_id=str(event.message_id)).first()
    return None


def _suppression_reason(event) -> str | None:
    esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
    if event.event_type == EventType.BOUNCED and esp_event.get("Type") not in SOFT_BOUNCE_TYPES:
        return SuppressionReason.BOUNCED
    if event.event_type == EventType.COMPLAINED:
        return SuppressionReason.COMPLAINED
    if event.event_type == EventType.REJECTED and event.reject_reason in (RejectReason.BOUNCED, RejectReason.SPAM):
        return SuppressionReason.REJECTED
    return None


def email_event_record(*, event, esp_name: str = "") -> DigestSend | None:
    """Apply one ESP tracking event; safe to receive the same event any number of times."""
    send = _send_for_event(event)
    field = EVENT_FIELDS.get(event.event_type)
    if send and field:
        DigestSend.objects.filter(pk=send.pk, **{f"{field}__isnull": True}).update(**{field: event.timestamp or timezone.now()})

    user_id = send.user_id if send else None
    metadata_user = str((event.metadata or {}).get("user_id") or "")
    if user_id is None and metadata_user.isdigit():
        user_id = int(metadata_user)
    recipient = event.recipient or (send.user.email if send else "")

    if reason := _suppression_reason(event):
        address_suppress(email=recipient, reason=reason, detail=f"{esp_name} {event.description or event.mta_response or ''}".strip())
    if event.event_type == EventType.UNSUBSCRIBED and user_id is not None:
        kind = (event.metadata or {}).get("kind") or DIGEST_KIND
        if kind in Stream.values:
            email_stream_set(user_id=user_id, stream=kind, enabled=False)
    return send
