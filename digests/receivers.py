from anymail.signals import pre_send
from django.db import transaction
from django.dispatch import receiver

from onboarding.signals import onboarding_completed, profile_schedule_changed, profiles_bulk_created

from .scheduling import digest_schedule_update, digest_schedules_bulk_update
from .services import message_drop_suppressed


@receiver(profile_schedule_changed)
def reschedule_digest(sender, profile, **kwargs):
    digest_schedule_update(profile=profile)


@receiver(profiles_bulk_created)
def schedule_new_profiles(sender, profile_ids, **kwargs):
    digest_schedules_bulk_update(profile_ids=profile_ids)


@receiver(pre_send)
def drop_suppressed_recipients(sender, message, esp_name, **kwargs):
    message_drop_suppressed(message)


@receiver(onboarding_completed)
def send_welcome(sender, profile, **kwargs):
    """Day 0 of the drip goes at once, after the completion is committed (a task when a broker runs)."""
    from django_q.tasks import async_task

    user_id = profile.user_id
    transaction.on_commit(lambda: async_task("digests.tasks.send_welcome", user_id))
