from habits.export import register_section

from .models import DigestSend

EXPORTED_FIELDS = [
    "local_date", "covered_date", "status", "attempts", "sent_at", "reason", "subject", "tip_key",
    "delivered_at", "opened_at", "clicked_at", "bounced_at", "complained_at", "unsubscribed_at",
]


def register_export_sections():
    register_section("emails", lambda user: list(DigestSend.objects.filter(user=user).order_by("local_date").values(*EXPORTED_FIELDS)))
