"""Claiming: a due person's schedule is advanced and their DigestSend row written in one
transaction, before anything is handed to the mailer (healthchecks' claim-then-send).

Row locks (`skip_locked`) keep concurrent sweeps out of each other's way; the unique keys
(person and local day; person and drip milestone) make a second email impossible even if they meet.
"""

import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction

from . import schedule
from .models import DigestSend, EmailSchedule, SendStatus
from .scheduling import milestone_on, next_email_at, onboarded_day

# A claim older than this is from a sweep that died (a batch takes seconds; sweeps run every 15 minutes).
STALE_CLAIM_AFTER = timedelta(minutes=10)


def recover_stale_claims(now: datetime) -> tuple[int, int]:
    """Sends a dead sweep left "sending": those never handed to the mailer go out again (the next
    step checks their day has not ended); those handed over may have been sent, so they are
    recorded as unknown and never repeated. Returns (to send again, unknown)."""
    stale = DigestSend.objects.filter(status=SendStatus.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER)
    unknown = stale.filter(handed_over_at__isnull=False).update(
        status=SendStatus.UNKNOWN,
        reason="The sweep stopped after handing it to the mailer; not repeated because it may have been sent.",
    )
    again = stale.filter(handed_over_at__isnull=True).update(
        status=SendStatus.RETRYING, next_attempt_at=now,
        reason="The sweep stopped before handing it to the mailer; sent again.",
    )
    return again, unknown


def claim_due_retries(now: datetime, batch_size: int) -> list[DigestSend]:
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


def claim_due_emails(now: datetime, batch_size: int) -> tuple[bool, list[DigestSend], int]:
    """Claim a batch of due people: advance their schedule and write their DigestSend rows.

    A drip milestone rides in that day's digest; someone with the digest off but the drip on gets
    the milestone alone. Returns whether anyone was due, the sends to deliver, and how many were skipped.
    """
    token = uuid.uuid4()
    with transaction.atomic():
        # Only the schedule rows are locked: the clock is read from the profile through the user.
        due = list(
            EmailSchedule.objects.filter(next_digest_at__lte=now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_digest_at")
            .values_list("pk", "user_id", "user__coaching_profile__timezone", "digest_hour",
                         "user__coaching_profile__day_start_hour", "next_digest_at", "digest_enabled", "drip_enabled",
                         "user__coaching_profile__onboarding_completed_at")
            [:batch_size]
        )
        if not due:
            return False, [], 0
        sent_milestones = defaultdict(set)
        for user_id, milestone in DigestSend.objects.filter(
            user_id__in=[row[1] for row in due], milestone__isnull=False
        ).values_list("user_id", "milestone"):
            sent_milestones[user_id].add(milestone)
        rows, schedules = [], []
        for pk, user_id, tz_name, hour, day_start, due_at, digest_on, drip_on, onboarded_at in due:
            plan = schedule.plan_due_digest(due_at=due_at, now=now, tz_name=tz_name, digest_hour=hour, day_start_hour=day_start)
            day_zero = onboarded_day(onboarded_at, tz_name, day_start)
            milestone = milestone_on(plan.send_day, day_zero) if drip_on else None
            if milestone in sent_milestones[user_id]:
                milestone = None
            common = {"user_id": user_id, "claim_token": token, "claimed_at": now}
            if digest_on and plan.skipped_day:
                rows.append(DigestSend(
                    **common, local_date=plan.skipped_day, covered_date=schedule.covered_day(plan.skipped_day, hour, day_start),
                    status=SendStatus.SKIPPED, reason=f"Too late: the sweep did not run before this day ended (due {due_at:%Y-%m-%d %H:%M} UTC).",
                ))
            if plan.send_day and (digest_on or milestone is not None):
                rows.append(DigestSend(
                    **common, local_date=plan.send_day, covered_date=schedule.covered_day(plan.send_day, hour, day_start),
                    status=SendStatus.SENDING, includes_digest=digest_on, milestone=milestone,
                ))
            next_at = plan.next_at if digest_on else next_email_at(
                now=now, tz_name=tz_name, digest_hour=hour, day_start_hour=day_start, digest_enabled=False,
                drip_enabled=drip_on, onboarded_at=onboarded_at, after=plan.send_day or plan.skipped_day,
            )
            schedules.append(EmailSchedule(pk=pk, next_digest_at=next_at))
        # A day that already has a row (an earlier sweep, the day-0 welcome, a zone change) is not claimed again.
        DigestSend.objects.bulk_create(rows, ignore_conflicts=True)
        EmailSchedule.objects.bulk_update(schedules, ["next_digest_at"])
    claimed = list(DigestSend.objects.filter(claim_token=token).order_by())
    sends = [s for s in claimed if s.status == SendStatus.SENDING]
    return True, sends, len(claimed) - len(sends)
