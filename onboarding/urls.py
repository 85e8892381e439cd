from django.urls import path, re_path

from . import views

app_name = "onboarding"

wizard = views.OnboardingWizardView.as_view(url_name="onboarding:wizard_step", done_step_name="done")

urlpatterns = [
    path("welcome/", wizard, name="wizard"),
    re_path(r"^welcome/(?P<step>[a-z]+)/$", wizard, name="wizard_step"),
    path("profile/", views.profile_edit, name="profile"),
]
