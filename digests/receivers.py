from anymail.signals import pre_send, tracking
from django.dispatch import receiver

from onboarding.signals import profile_schedule_changed, profiles_bulk_created

from .services import digest_schedule_update, digest_schedules_bulk_update, email_event_record, message_drop_suppressed


@receiver(profile_schedule_changed)
def reschedule_digest(sender, profile, **kwargs):
    digest_schedule_update(profile=profile)


@receiver(profiles_bulk_created)
def schedule_new_profiles(sender, profile_ids, **kwargs):
    digest_schedules_bulk_update(profile_ids=profile_ids)


@receiver(tracking)
def record_email_event(sender, event, esp_name, **kwargs):
    email_event_record(event=event, esp_name=esp_name)


@receiver(pre_send)
def drop_suppressed_recipients(sender, message, esp_name, **kwargs):
    message_drop_suppressed(message)
