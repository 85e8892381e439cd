from django.dispatch import receiver

from onboarding.signals import onboarding_completed

from .services import habit_create_from_profile


@receiver(onboarding_completed)
def create_first_habit(sender, profile, **kwargs):
    habit_create_from_profile(profile=profile)
