from django.contrib import admin

from .models import DigestSend, EmailSchedule, EmailSuppression


@admin.register(DigestSend)
class DigestSendAdmin(admin.ModelAdmin):
    list_display = ["user", "local_date", "status", "attempts", "sent_at", "subject", "opened_at"]
    list_filter = ["status", "local_date"]
    search_fields = ["user__email", "message_id", "subject"]
    date_hierarchy = "local_date"
    list_select_related = ["user"]
    readonly_fields = [f.name for f in DigestSend._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(EmailSchedule)
class EmailScheduleAdmin(admin.ModelAdmin):
    list_display = ["user", "digest_hour", "digest_enabled", "drip_enabled", "next_digest_at"]
    list_filter = ["digest_enabled", "drip_enabled", "digest_hour_overridden"]
    search_fields = ["user__email"]
    readonly_fields = ["next_digest_at"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]


@admin.register(EmailSuppression)
class EmailSuppressionAdmin(admin.ModelAdmin):
    list_display = ["email", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email"]
    readonly_fields = ["created_at"]
