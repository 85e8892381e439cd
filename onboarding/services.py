from django.db import transaction
from django.utils import timezone

from .models import CoachingProfile, OnboardingDraft
from .signals import (
    coaching_answers_changed,
    onboarding_completed,
    profile_schedule_changed,
)

# The person's clock: other apps reschedule what they send when it changes.
SCHEDULE_FIELDS = {"timezone", "day_start_hour"}
ANSWER_FIELDS = {"goals", "goals_other", "main_habit", "main_habit_time", "obstacle", "obstacle_other", "why_now",
                 "chronotype", "success_factor", "tone"}


def profile_start_onboarding(*, user) -> CoachingProfile:
    """The profile exists from the moment the wizard is first shown (staff metrics count starts)."""
    profile, created = CoachingProfile.objects.get_or_create(user=user, defaults={"onboarding_started_at": timezone.now()})
    if not created and profile.onboarding_started_at is None:
        profile.onboarding_started_at = timezone.now()
        profile.save(update_fields=["onboarding_started_at", "updated_at"])
    return profile


def onboarding_draft_save(*, user, current_step: str | None, answers: dict) -> None:
    """Keep a started onboarding's answers until it completes; with nothing answered there is nothing to keep."""
    if not answers:
        OnboardingDraft.objects.filter(user=user).delete()
        return
    OnboardingDraft.objects.update_or_create(user=user, defaults={"current_step": current_step or "", "answers": answers})


@transaction.atomic
def onboarding_complete(*, user, answers: dict) -> CoachingProfile:
    """Save every wizard answer and mark onboarding done, all or nothing; the draft of answers goes."""
    profile = CoachingProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = CoachingProfile(user=user, onboarding_started_at=timezone.now())
    if profile.onboarding_completed_at is not None:
        return profile
    OnboardingDraft.objects.filter(user=user).delete()
    for field, value in answers.items():
        setattr(profile, field, value)
    profile.onboarding_completed_at = timezone.now()
    profile.full_clean()
    if profile.pk is None:
        profile.save()
    else:
        profile.save(update_fields=[*answers, "onboarding_completed_at", "updated_at"])
    onboarding_completed.send(sender=CoachingProfile, profile=profile)
    return profile


@transaction.atomic
def profile_update(*, profile: CoachingProfile, changes: dict, first_name: str | None = None) -> CoachingProfile:
    """Apply edits from the Profile page, then tell the apps that follow the clock or the answers."""
    # Read the stored values: a bound ModelForm has already written the new ones onto `profile`.
    previous = CoachingProfile.objects.filter(pk=profile.pk).values(*SCHEDULE_FIELDS, *ANSWER_FIELDS).get()
    for field, value in changes.items():
        setattr(profile, field, value)
    profile.full_clean()
    # Only what this edit decides, so a concurrent write to another field of the row is never undone.
    profile.save(update_fields=[*changes, "updated_at"])
    if first_name is not None and first_name != profile.user.first_name:
        profile.user.first_name = first_name
        profile.user.save(update_fields=["first_name"])
    if any(getattr(profile, field) != previous[field] for field in SCHEDULE_FIELDS):
        profile_schedule_changed.send(sender=CoachingProfile, profile=profile)
    if any(getattr(profile, field) != previous[field] for field in ANSWER_FIELDS):
        coaching_answers_changed.send(sender=CoachingProfile, profile=profile)
    return profile
