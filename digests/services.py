"""The digests app's entry points: the sweep that sends every due email once, and the
person's email preferences.

The sweep's jobs live apart: `scheduling` (when each person is due), `claims` (claim-then-send:
rows written before the mailer sees anything), `delivery` (compose, hand over, record; its
`deliver_one` is the step tests call) and `webhooks` (what the ESP tells us afterwards).
"""

import logging
import time
from datetime import datetime
from email.utils import parseaddr

from anymail.exceptions import AnymailCancelSend
from django.core.mail import get_connection
from django.db import DatabaseError, transaction
from django.utils import timezone

from onboarding.models import CoachingProfile

from .claims import claim_due_emails, claim_due_retries, recover_stale_claims
from .delivery import SweepResult, deliver, describe_error
from .models import (
    DIGEST_SWEEP_HEARTBEAT,
    STREAM_FIELDS,
    EmailSchedule,
    Stream,
    SweepHeartbeat,
    default_digest_hour,
)
from .scheduling import digest_schedule_update, email_schedule_for
from .selectors import suppressed_addresses

logger = logging.getLogger("cadence.digests")

BATCH_SIZE = 500


def digests_sweep(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Send every due email and every due retry once, as if the time were `now`.

    If the database goes away part-way the sweep stops with the error (logged as one line too):
    what it had claimed but not handed over goes out with a later sweep, nothing is sent twice."""
    now = now or timezone.now()
    started = time.monotonic()
    result, counts = SweepResult(), {"due": 0, "sent_again": 0}
    try:
        _sweep(now, batch_size, result, counts)
    except DatabaseError as error:
        logger.error("digest sweep failed now=%s %s duration_ms=%d error=%s", now.isoformat(), _counts(result, counts),
                     _ms_since(started), describe_error(error).splitlines()[0])
        raise
    logger.info("digest sweep now=%s %s duration_ms=%d", now.isoformat(), _counts(result, counts), _ms_since(started))
    # Only a sweep that got this far counts. One upsert (INSERT ... ON CONFLICT DO UPDATE) per sweep;
    # /healthz reads how long ago the last one finished.
    SweepHeartbeat.objects.bulk_create(
        [SweepHeartbeat(name=DIGEST_SWEEP_HEARTBEAT, completed_at=timezone.now())],
        update_conflicts=True, unique_fields=["name"], update_fields=["completed_at"],
    )
    return result


def _sweep(now: datetime, batch_size: int, result: SweepResult, counts: dict) -> None:
    counts["sent_again"], result.unknown = recover_stale_claims(now)
    with get_connection() as connection:
        while sends := claim_due_retries(now, batch_size):
            counts["due"] += len(sends)
            deliver(sends, now, connection, result)
        while True:
            found, sends, skipped = claim_due_emails(now, batch_size)
            result.skipped += skipped
            if not found:
                break
            counts["due"] += len(sends)
            deliver(sends, now, connection, result)


def _counts(result: SweepResult, counts: dict) -> str:
    return (f"due={counts['due']} sent={result.sent} skipped={result.skipped} failed={result.failed} "
            f"retrying={result.retrying} unknown={result.unknown} sent_again={counts['sent_again']}")


def _ms_since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


# The schedule follows onboarding: created on completion, moved with the clock and the chronotype

@transaction.atomic
def email_schedule_start(*, profile: CoachingProfile) -> EmailSchedule:
    """Onboarding is complete: the digest hour starts from the chronotype, every stream on."""
    schedule, _ = EmailSchedule.objects.update_or_create(
        user_id=profile.user_id,
        defaults={"digest_hour": default_digest_hour(profile.chronotype), "digest_hour_overridden": False},
    )
    digest_schedule_update(profile=profile, schedule=schedule)
    return schedule


@transaction.atomic
def email_schedule_follow_chronotype(*, profile: CoachingProfile) -> None:
    """A changed chronotype moves the digest hour, unless the person set the hour by hand."""
    schedule = EmailSchedule.objects.select_for_update().filter(user_id=profile.user_id).first()
    if schedule is None or schedule.digest_hour_overridden:
        return
    hour = default_digest_hour(profile.chronotype)
    if schedule.digest_hour == hour:
        return
    schedule.digest_hour = hour
    schedule.save(update_fields=["digest_hour"])
    digest_schedule_update(profile=profile, schedule=schedule)


# Preferences and unsubscribes

PREFERENCE_FIELDS = ("digest_hour", *STREAM_FIELDS.values())


@transaction.atomic
def email_preferences_update(*, profile: CoachingProfile, changes: dict) -> EmailSchedule:
    """Apply the Email preferences page (digest hour, stream switches) and reschedule the next email.

    A digest hour other than the chronotype's stops following the chronotype; choosing it again resumes.
    """
    email_schedule_for(profile)
    schedule = EmailSchedule.objects.select_for_update().get(user_id=profile.user_id)
    changed = [field for field in PREFERENCE_FIELDS if field in changes and changes[field] != getattr(schedule, field)]
    if not changed:
        return schedule
    for field in changed:
        setattr(schedule, field, changes[field])
    if "digest_hour" in changed:
        schedule.digest_hour_overridden = schedule.digest_hour != default_digest_hour(profile.chronotype)
        changed.append("digest_hour_overridden")
    schedule.full_clean()
    schedule.save(update_fields=changed)
    digest_schedule_update(profile=profile, schedule=schedule)
    return schedule


def email_stream_on(*, profile: CoachingProfile, stream: str) -> bool:
    return getattr(email_schedule_for(profile), STREAM_FIELDS[Stream(stream)])


def email_stream_set(*, user_id: int, stream: str, enabled: bool) -> bool:
    """Turn one email stream on or off for a person; returns whether anything changed."""
    profile = CoachingProfile.objects.filter(user_id=user_id).first()
    field = STREAM_FIELDS[Stream(stream)]
    if profile is None or email_stream_on(profile=profile, stream=stream) == enabled:
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
