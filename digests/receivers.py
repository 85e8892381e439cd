from anymail.signals import pre_send
from django.dispatch import receiver

from config.tasks import enqueue_after_commit
from onboarding.signals import (
    coaching_answers_changed,
    onboarding_completed,
    profile_schedule_changed,
    profiles_bulk_created,
)

from .scheduling import digest_schedule_update, email_schedules_bulk_create
from .services import (
    email_schedule_follow_chronotype,
    email_schedule_start,
    message_drop_suppressed,
)


@receiver(onboarding_completed)
def start_email_schedule(sender, profile, **kwargs):
    email_schedule_start(profile=profile)


@receiver(profile_schedule_changed)
def reschedule_digest(sender, profile, **kwargs):
    digest_schedule_update(profile=profile)


@receiver(coaching_answers_changed)
def follow_chronotype(sender, profile, **kwargs):
    email_schedule_follow_chronotype(profile=profile)


@receiver(profiles_bulk_created)
def schedule_new_profiles(sender, profile_ids, **kwargs):
    email_schedules_bulk_create(profile_ids=profile_ids)


@receiver(pre_send)
def drop_suppressed_recipients(sender, message, esp_name, **kwargs):
    message_drop_suppressed(message)


@receiver(onboarding_completed)
def send_welcome(sender, profile, **kwargs):
    """Day 0 of the drip goes at once, after the completion is committed (a task when a broker runs)."""
    enqueue_after_commit("digests.tasks.send_welcome", profile.user_id)
