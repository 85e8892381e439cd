from django.dispatch import receiver
from django.utils import timezone

from config.tasks import enqueue_after_commit
from onboarding.models import CoachingProfile
from onboarding.signals import (
    coaching_answers_changed,
    onboarding_completed,
    profiles_bulk_created,
)

from .services import coaching_state_ensure


def _analyse_after_commit(user_id):
    enqueue_after_commit("coaching.tasks.analyse_person", user_id)


@receiver(onboarding_completed)
def queue_first_analysis(sender, profile, **kwargs):
    coaching_state_ensure(user_ids=[profile.user_id], now=timezone.now())
    _analyse_after_commit(profile.user_id)


@receiver(coaching_answers_changed)
def reanalyse_on_new_answers(sender, profile, **kwargs):
    _analyse_after_commit(profile.user_id)


@receiver(profiles_bulk_created)
def queue_seeded_profiles(sender, profile_ids, **kwargs):
    user_ids = list(CoachingProfile.objects.filter(pk__in=profile_ids).values_list("user_id", flat=True))
    coaching_state_ensure(user_ids=user_ids, now=timezone.now())
