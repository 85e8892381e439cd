from .models import OnboardingDraft


def onboarding_draft_of(*, user) -> OnboardingDraft | None:
    return OnboardingDraft.objects.filter(user=user).first()
