from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from onboarding.models import Chronotype


class Stream(models.TextChoices):
    """The kinds of scheduled email a person can turn off one by one."""

    DIGEST = "digest", "Daily digest"
    DRIP = "drip", "Coaching emails for the first 30 days"


# The email kind (templates/emails/digest/) of the daily digest, also its anymail tag.
DIGEST_KIND = "digest"
DRIP_KIND = "drip"

# The 30-day drip: local days since onboarding completed (day 0 = that day) that carry a milestone.
DRIP_MILESTONES = (0, 3, 7, 14, 21, 30)


def drip_kind(milestone: int) -> str:
    """The X-Cadence-Kind word of a milestone email: drip-day-7."""
    return f"drip-day-{milestone}"

# The EmailSchedule switch behind each stream.
STREAM_FIELDS = {Stream.DIGEST: "digest_enabled", Stream.DRIP: "drip_enabled"}

# The digest hour that follows from a chronotype (onboarding's answer) until the person picks one by hand.
DEFAULT_DIGEST_HOUR = {Chronotype.MORNING: 7, Chronotype.INTERMEDIATE: 20, Chronotype.EVENING: 20}
FALLBACK_DIGEST_HOUR = 20


def default_digest_hour(chronotype: str) -> int:
    return DEFAULT_DIGEST_HOUR.get(chronotype, FALLBACK_DIGEST_HOUR)


class EmailSchedule(models.Model):
    """When and what a person is emailed: the digest hour, one switch per stream, and the next send time.

    Onboarding owns the answers and the clock (time zone, day start); this row is the digests app's own,
    written only with `update_fields` so a preference change and the sweep never overwrite each other.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_schedule")
    digest_hour = models.PositiveSmallIntegerField(
        "Daily email time", default=FALLBACK_DIGEST_HOUR, validators=[MinValueValidator(0), MaxValueValidator(23)]
    )
    digest_hour_overridden = models.BooleanField(default=False, help_text="Set by hand: no longer follows the chronotype")
    digest_enabled = models.BooleanField("Daily digest email", default=True)
    drip_enabled = models.BooleanField("Coaching emails for the first 30 days", default=True)
    next_digest_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"Email schedule of {self.user}"


class SendStatus(models.TextChoices):
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    RETRYING = "retrying", "Waiting to retry"
    FAILED = "failed", "Failed"
    UNKNOWN = "unknown", "Unknown (may have been sent)"
    SKIPPED = "skipped", "Skipped"


class DigestSendQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def due_retries(self, now):
        return self.filter(status=SendStatus.RETRYING, next_attempt_at__lte=now)

    def viewable(self):
        return self.exclude(subject="")


class DigestSend(models.Model):
    """One person's digest for one local day: the row exists before the mailer sees the message.

    The unique (user, local_date) key is the claim; retries reuse the row, so a day can never
    produce two emails however many sweeps run.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_sends")
    local_date = models.DateField(help_text="The person's local day this digest belongs to")
    covered_date = models.DateField(help_text="The day the digest reports on")
    status = models.CharField(max_length=10, choices=SendStatus.choices, default=SendStatus.SENDING)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True, help_text="Why it failed, was skipped or is unknown")
    message_id = models.CharField(max_length=200, blank=True, db_index=True)
    handed_over_at = models.DateTimeField(
        null=True, blank=True, help_text="When the message went to the mailer: a claim without it never left, so it is sent again"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    includes_digest = models.BooleanField(default=True, help_text="False for a drip milestone sent on its own")
    milestone = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The drip milestone day it carries, if any")

    tip_key = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    content = models.JSONField(default=dict, blank=True, help_text="Composed digest, enough to render it again")

    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    complained_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = DigestSendQuerySet.as_manager()

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "local_date"], name="one_digest_per_user_per_day"),
            models.UniqueConstraint(fields=["user", "milestone"], condition=models.Q(milestone__isnull=False),
                                    name="one_email_per_user_per_milestone"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["status", "claimed_at"]),
            models.Index(fields=["claim_token"]),
            # Covers the staff open-rate count (digests.metrics) without reading the rows.
            models.Index(fields=["status", "sent_at", "includes_digest", "bounced_at", "opened_at"],
                         name="digestsend_open_rate"),
        ]

    def __str__(self):
        return f"Digest for {self.user} on {self.local_date} ({self.status})"

    @property
    def stream(self) -> str:
        """The stream this email's one-click unsubscribe turns off: the digest when it carries one."""
        return Stream.DIGEST if self.includes_digest else Stream.DRIP

    @property
    def kinds(self) -> list[str]:
        """What the email contains, as X-Cadence-Kind lists it: ["digest", "drip-day-7"]."""
        kinds = [DIGEST_KIND] if self.includes_digest else []
        if self.milestone is not None:
            kinds.append(drip_kind(self.milestone))
        return kinds


class SuppressionReason(models.TextChoices):
    BOUNCED = "bounced", "Hard bounce"
    COMPLAINED = "complained", "Spam complaint"
    REJECTED = "rejected", "Rejected by the provider"


class EmailSuppression(models.Model):
    """An address we never email again: it bounced hard or its owner reported us as spam."""

    email = models.EmailField(unique=True, help_text="Stored lower-case")
    reason = models.CharField(max_length=12, choices=SuppressionReason.choices)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} ({self.get_reason_display()})"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()  # addresses are matched lower-case everywhere
        super().save(*args, **kwargs)


DIGEST_SWEEP_HEARTBEAT = "digest-sweep"


class SweepHeartbeat(models.Model):
    """When a named periodic job last finished: one row per job, rewritten at the end of every run."""

    name = models.CharField(max_length=50, unique=True)
    completed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} completed at {self.completed_at.isoformat()}"
