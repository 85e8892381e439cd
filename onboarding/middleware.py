from django.shortcuts import redirect
from django.urls import reverse

from .models import CoachingProfile

# Paths a signed-in person may reach before finishing onboarding. Leaving (deleting the account) and taking
# one's data along must work at any stage; the Loop exports stay closed, as they need the profile's time zone
# and there are no habits to export before onboarding ends.
OPEN_PREFIXES = (
    "/welcome/", "/accounts/", "/static/", "/admin/", "/unsubscribe/", "/anymail/", "/healthz",
    "/profile/delete/", "/profile/export.json", "/profile/export.zip",
)


class OnboardingRequiredMiddleware:
    """Until the wizard is done, every page of the app redirects to it (no `next=` can skip it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            try:
                profile = request.user.coaching_profile
            except CoachingProfile.DoesNotExist:
                profile = None
            if profile is None or not profile.is_onboarded:
                return redirect(reverse("onboarding:wizard"))
        return self.get_response(request)
