from datetime import date

from django import forms

from onboarding.models import Goal

from .models import NOTE_MAX_LENGTH, Habit, HabitKind, ScheduleKind
from .schedule import WEEKDAY_NAMES
from .services import MAX_VALUE


class HabitForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        choices=list(enumerate(WEEKDAY_NAMES)), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple, label="Which days?",
    )
    area = forms.ChoiceField(choices=[("", "None in particular")] + Goal.choices, required=False, label="Life area")

    class Meta:
        model = Habit
        fields = [
            "name", "description", "icon", "colour", "kind", "unit", "target", "target_type",
            "schedule_kind", "weekdays", "frequency_numerator", "frequency_denominator", "planned_time", "area",
        ]
        labels = {
            "schedule_kind": "How often?", "frequency_numerator": "How many times", "frequency_denominator": "In how many days",
            "planned_time": "Planned time of day",
            "kind": "Type", "target_type": "Target is",
        }
        help_texts = {
            "planned_time": "Your coach compares it with when you actually check in.",
            "unit": "For measurable habits, e.g. km, pages, minutes.",
            "frequency_denominator": "7 is a week, 30 a month; 3 times in 7 days, once in 3 days, 4 times in 30 days.",
        }
        widgets = {
            "planned_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.TextInput(),
            "kind": forms.RadioSelect,
            "schedule_kind": forms.RadioSelect,
            "colour": forms.RadioSelect,
            "target": forms.NumberInput(attrs={"step": "any", "min": 0}),
        }
        error_messages = {"name": {"required": "Give your habit a name.", "max_length": "Keep the name under 300 characters."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "schedule_kind", "colour", "target_type"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]
        for name in ("frequency_numerator", "frequency_denominator"):
            self.fields[name].required = False

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give your habit a name.")
        return name

    def clean(self):
        data = super().clean()
        if data.get("kind") == HabitKind.MEASURABLE:
            if data.get("target") is None:
                self.add_error("target", "Measurable habits need a target, e.g. 5 (km).")
            if not data.get("unit"):
                self.add_error("unit", "Name the unit, e.g. km, pages or minutes.")
        else:
            data["target"] = None
            data["unit"] = ""
        schedule = data.get("schedule_kind")
        if schedule == ScheduleKind.WEEKDAYS and not data.get("weekdays"):
            self.add_error("weekdays", "Pick at least one day.")
        if schedule != ScheduleKind.WEEKDAYS:
            data["weekdays"] = []
        if schedule == ScheduleKind.FREQUENCY:
            times, days = data.get("frequency_numerator"), data.get("frequency_denominator")
            if not times:
                self.add_error("frequency_numerator", "How many times? For example 3.")
            if not days:
                self.add_error("frequency_denominator", "In how many days? For example 7 for a week.")
            if times and days and times > days:
                self.add_error("frequency_numerator", "That is more times than there are days in the period.")
        else:
            data["frequency_numerator"] = data["frequency_denominator"] = 1
        if data.get("target") is not None and data["target"] > MAX_VALUE:
            self.add_error("target", "That target is too large.")
        return data

    def changes(self):
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class CheckInForm(forms.Form):
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    value = forms.FloatField(required=False, min_value=0, max_value=MAX_VALUE,
                             error_messages={"invalid": "Enter a number, e.g. 5 or 2.5."})
    note = forms.CharField(required=False, max_length=280)


class CheckInEditForm(forms.Form):
    time = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    value = forms.FloatField(required=False, min_value=0, max_value=MAX_VALUE)
    note = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH, widget=forms.TextInput())


PAUSE_EARLIEST, PAUSE_LATEST = date(2000, 1, 1), date(2100, 12, 31)


class PauseForm(forms.Form):
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="From")
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Until")

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            if data.get(name) and not PAUSE_EARLIEST <= data[name] <= PAUSE_LATEST:
                self.add_error(name, "Choose a date between 2000 and 2100.")
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The pause must end on or after its first day.")
        return data


SRBAI_ITEMS = [
    ("without_thinking", "I do it without having to consciously remember."),
    ("automatically", "I do it automatically."),
    ("without_remembering", "I do it without thinking."),
    ("before_realising", "I start doing it before I realise I'm doing it."),
]


class AutomaticityForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in SRBAI_ITEMS:
            self.fields[name] = forms.TypedChoiceField(
                label=label, coerce=int, choices=[(i, str(i)) for i in range(1, 8)], widget=forms.RadioSelect,
                error_messages={"required": "Choose 1 (disagree) to 7 (agree)."},
            )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, label="Your password")
    email = forms.EmailField(label="Type your email address to confirm")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right.")
        return password

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email.strip().lower() != self.user.email.lower():
            raise forms.ValidationError("Type the email address you signed in with.")
        return email


class LoopImportForm(forms.Form):
    archive = forms.FileField(label="Loop Habit Tracker export (.zip)")
