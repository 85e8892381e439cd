from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from formtools.wizard.views import NamedUrlWizardView

from .forms import ProfileForm
from .services import onboarding_complete, profile_start_onboarding, profile_update
from .wizard import STEP_NAMES, STEPS


class OnboardingWizardView(LoginRequiredMixin, NamedUrlWizardView):
    form_list = [(step.name, step.form_class) for step in STEPS]
    template_name = "onboarding/wizard.html"
    storage_name = "onboarding.wizard.DraftStorage"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            profile = profile_start_onboarding(user=request.user)
            if profile.is_onboarded:
                return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def process_step(self, form):
        """Keep only this step's own fields: the draft is answers, not the CSRF token or the wizard's bookkeeping."""
        own_prefix = f"{form.prefix}-"
        return {key: values for key, values in form.data.lists() if key.startswith(own_prefix)}

    def first_unanswered_step(self):
        for name in STEP_NAMES:
            if self.storage.get_step_data(name) is None:
                return name
        return None

    def refuse_skipping(self, requested_step):
        """No step is reachable before every step in front of it has been answered."""
        missing = self.first_unanswered_step()
        if requested_step in STEP_NAMES and missing is not None:
            if STEP_NAMES.index(requested_step) > STEP_NAMES.index(missing):
                self.storage.current_step = missing
                return redirect(self.get_step_url(missing))
        return None

    def get(self, request, *args, **kwargs):
        return self.refuse_skipping(kwargs.get("step")) or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        posted_step = request.POST.get(f"{self.get_prefix(request, *args, **kwargs)}-current_step") or kwargs.get("step")
        if posted_step != kwargs.get("step"):
            return redirect(self.get_step_url(kwargs.get("step") or STEP_NAMES[0]))
        return self.refuse_skipping(posted_step) or super().post(request, *args, **kwargs)

    def render(self, form=None, **kwargs):
        """A step sent back with errors answers 400, as every other form here does."""
        response = super().render(form, **kwargs)
        if form is not None and form.is_bound and form.errors:
            response.status_code = 400
        return response

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        index = STEP_NAMES.index(self.steps.current)
        context.update(
            step=STEPS[index],
            step_number=index + 1,
            step_count=len(STEPS),
            previous_step_url=self.get_step_url(STEP_NAMES[index - 1]) if index else None,
        )
        return context

    def done(self, form_list, **kwargs):
        answers = {}
        for form in form_list:
            answers.update(form.cleaned_data)
        onboarding_complete(user=self.request.user, answers=answers)
        self.storage.reset()
        messages.success(self.request, "You're all set. Here is your first habit.")
        return redirect("home")


@login_required
def profile_edit(request):
    profile = request.user.coaching_profile
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile_update(profile=profile, changes=form.profile_changes(), first_name=form.cleaned_data["first_name"].strip())
        messages.success(request, "Profile saved.")
        return redirect("onboarding:profile")
    return render(request, "onboarding/profile.html", {"form": form, "profile": profile}, status=400 if form.errors else 200)


def landing(request):
    return render(request, "onboarding/landing.html")
