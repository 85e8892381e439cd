from habits.export import register_section

from .models import DigestSend, EmailSchedule

SCHEDULE_FIELDS = ["digest_hour", "digest_hour_overridden", "digest_enabled", "drip_enabled", "next_digest_at"]
EXPORTED_FIELDS = [
    "local_date", "covered_date", "status", "attempts", "sent_at", "reason", "subject", "tip_key",
    "delivered_at", "opened_at", "clicked_at", "bounced_at", "complained_at", "unsubscribed_at",
]


def register_export_sections():
    register_section("emails", lambda user: list(DigestSend.objects.filter(user=user).order_by("local_date").values(*EXPORTED_FIELDS)),
                     EXPORTED_FIELDS)
    register_section("email_schedule", lambda user: list(EmailSchedule.objects.filter(user=user).values(*SCHEDULE_FIELDS)),
                     SCHEDULE_FIELDS)
