from django.dispatch import receiver
from django.utils import timezone

from onboarding.models import CoachingProfile
from onboarding.signals import onboarding_completed, profiles_bulk_created

from .services import coaching_state_ensure


@receiver(onboarding_completed)
def queue_first_analysis(sender, profile, **kwargs):
    coaching_state_ensure(user_ids=[profile.user_id], now=timezone.now())


@receiver(profiles_bulk_created)
def queue_seeded_profiles(sender, profile_ids, **kwargs):
    user_ids = list(CoachingProfile.objects.filter(pk__in=profile_ids).values_list("user_id", flat=True))
    coaching_state_ensure(user_ids=user_ids, now=timezone.now())
