from django import forms
from django.contrib.auth import password_validation

from .models import CoachingProfile, Goal, Obstacle
from .timezones import resolve_timezone, timezone_choices


def password_rules_hint() -> str:
    """The configured password validators as one short line, e.g. "At least 8 characters; not a common password"."""
    length, others = [], []
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            length.append(f"at least {validator.min_length} characters")
        elif isinstance(validator, password_validation.NumericPasswordValidator):
            others.append("not only numbers")
        elif isinstance(validator, password_validation.CommonPasswordValidator):
            others.append("not a common password")
        elif isinstance(validator, password_validation.UserAttributeSimilarityValidator):
            others.append("not like your name or email address")
        else:
            others.append(validator.get_help_text())
    hint = "; ".join(length + others)
    return hint[:1].upper() + hint[1:] + "."


class SignupBoundField(forms.BoundField):
    """allauth adds the new-password field after our form's __init__, with Django's validators' help as a long
    HTML list; the page says it in one line (each broken rule still shows as an error next to the field)."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        if name == "password1":
            self.help_text = password_rules_hint()


class SignupExtraForm(forms.Form):
    """Extra field on allauth's signup form: how the coach greets you."""

    bound_field_class = SignupBoundField

    first_name = forms.CharField(
        label="First name", max_length=150, required=False, help_text="Optional. Used to greet you in emails."
    )

    def signup(self, request, user):
        user.first_name = self.cleaned_data.get("first_name", "").strip()
        user.save(update_fields=["first_name"])


class TimezoneInput(forms.TextInput):
    """A text box with the full zone list as a datalist: searchable, and works without JavaScript."""

    template_name = "onboarding/widgets/timezone_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["timezones"] = timezone_choices()
        return context


class GoalsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Goal.choices)
        kwargs.setdefault("label", "Which areas do you want to work on?")
        super().__init__(**kwargs)


class ProfileFieldsMixin:
    """Shared widgets and cleaning, so the wizard and the Profile page validate alike."""

    required_messages = {
        "main_habit": "Name the habit you most want to build.",
        "obstacle": "Choose what gets in the way most often.",
        "why_now": "A sentence is enough: why now?",
        "timezone": "Choose your time zone.",
        "chronotype": "Choose the one closest to you.",
        "success_factor": "Describe what success would look like for you.",
        "tone": "Choose a tone.",
    }

    def setup_widgets(self):
        for name, message in self.required_messages.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        if "timezone" in self.fields:
            self.fields["timezone"].widget = TimezoneInput(attrs={"autocomplete": "off", "data-browser-timezone": ""})
            self.fields["timezone"].help_text = "Start typing a city, for example “Berlin” or “New York”."
        if "main_habit_time" in self.fields:
            self.fields["main_habit_time"].widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            self.fields["main_habit_time"].help_text = "Roughly when you plan to do it."
        if "why_now" in self.fields:
            self.fields["why_now"].widget = forms.Textarea(attrs={"rows": 4, "maxlength": 500})
        for name in ("chronotype", "tone", "obstacle"):
            if name in self.fields:
                self.fields[name].widget = forms.RadioSelect(choices=self.fields[name].choices)
                self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]

    def clean_obstacle_other(self):
        text = self.cleaned_data.get("obstacle_other", "").strip()
        if self.cleaned_data.get("obstacle") != Obstacle.OTHER:
            return ""   # words for "something else" do not outlive choosing another answer
        if not text:
            raise forms.ValidationError("Tell us in a few words what gets in the way.")
        return text

    def clean_timezone(self):
        return resolve_timezone(self.cleaned_data.get("timezone", ""))

    def clean_main_habit(self):
        return self.cleaned_data.get("main_habit", "").strip()


class GoalsStepForm(ProfileFieldsMixin, forms.ModelForm):
    goals = GoalsField(error_messages={"required": "Choose at least one area."})

    class Meta:
        model = CoachingProfile
        fields = ["goals", "goals_other"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_widgets()


class MainHabitStepForm(ProfileFieldsMixin, forms.ModelForm):
    class Meta:
        model = CoachingProfile
        fields = ["main_habit", "main_habit_time"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["main_habit"].required = True
        self.fields["main_habit"].widget.attrs["placeholder"] = "e.g. Run before work"
        self.setup_widgets()


class ObstacleStepForm(ProfileFieldsMixin, forms.ModelForm):
    class Meta:
        model = CoachingProfile
        fields = ["obstacle", "obstacle_other"]
        labels = {"obstacle": "What usually gets in the way?"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obstacle"].required = True
        self.fields["obstacle_other"].help_text = "Only needed if you chose “Something else”."
        self.setup_widgets()


class WhyNowStepForm(ProfileFieldsMixin, forms.ModelForm):
    class Meta:
        model = CoachingProfile
        fields = ["why_now"]
        labels = {"why_now": "Why is now the right time?"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["why_now"].required = True
        self.setup_widgets()


class TimezoneStepForm(ProfileFieldsMixin, forms.ModelForm):
    class Meta:
        model = CoachingProfile
        fields = ["timezone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_widgets()


class ChronotypeStepForm(ProfileFieldsMixin, forms.ModelForm):
    class Meta:
        model = CoachingProfile
        fields = ["chronotype"]
        labels = {"chronotype": "When do you have the most energy?"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chronotype"].required = True
        self.setup_widgets()


class SuccessStepForm(ProfileFieldsMixin, forms.ModelForm):
    class Meta:
        model = CoachingProfile
        fields = ["success_factor", "tone"]
        labels = {"success_factor": "What would make the next 30 days a success?", "tone": "How should your coach talk to you?"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["success_factor"].required = True
        self.setup_widgets()


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):
    """Every onboarding answer plus the clock, with the wizard's validation (email settings live on Email preferences)."""

    first_name = forms.CharField(label="First name", max_length=150, required=False)
    goals = GoalsField(error_messages={"required": "Choose at least one area."})
    day_start_hour = forms.TypedChoiceField(
        label="My day starts at",
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(6)],
        help_text="Check-ins before this hour count for the previous day (for night owls).",
    )

    class Meta:
        model = CoachingProfile
        fields = [
            "goals", "goals_other", "main_habit", "main_habit_time", "obstacle", "obstacle_other",
            "why_now", "timezone", "chronotype", "success_factor", "tone",
            "day_start_hour",
        ]
        labels = {
            "obstacle": "Biggest obstacle",
            "why_now": "Why now",
            "chronotype": "Chronotype",
            "tone": "Coaching tone",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("main_habit", "obstacle", "why_now", "chronotype", "success_factor"):
            self.fields[name].required = True
        self.fields["first_name"].initial = self.instance.user.first_name if self.instance.pk else ""
        self.setup_widgets()

    def profile_changes(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
