from django.contrib import admin

from .models import CoachingProfile


@admin.register(CoachingProfile)
class CoachingProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "timezone", "chronotype", "onboarding_completed_at")
    list_filter = ("chronotype", "tone", "obstacle")
    search_fields = ("user__email",)
    readonly_fields = ("onboarding_started_at", "onboarding_completed_at", "created_at", "updated_at")
    raw_id_fields = ("user",)
