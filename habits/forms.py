from datetime import date

from django import forms

from config.widgets import DateInput
from onboarding.models import Goal

from .models import MAX_PERIOD_DAYS, NOTE_MAX_LENGTH, Habit, HabitKind, ScheduleKind, TargetType
from .schedule import MONTH_LENGTHS, WEEKDAY_NAMES
from .services import MAX_VALUE

# Sixteen common habits; any other emoji can be typed.
ICON_CHOICES = [
    ("🏃", "Running"), ("🚶", "Walking"), ("🚴", "Cycling"), ("🏊", "Swimming"), ("💪", "Strength"),
    ("🧘", "Yoga or meditation"), ("📚", "Reading"), ("✍️", "Writing"), ("🧠", "Learning"), ("🎸", "Music"),
    ("💧", "Drinking water"), ("🥗", "Eating well"), ("😴", "Sleep"), ("🦷", "Teeth"), ("💊", "Medicine"),
    ("🧹", "Tidying"),
]
# "n times per ..." as Loop writes it: a week is 7 days, a month 30 (or 31).
PERIOD_DAYS = {"week": 7, "month": MONTH_LENGTHS[0]}
PERIOD_CHOICES = [("week", "week"), ("month", "month"), ("days", "number of days")]
SUGGESTED_FREQUENCY = (3, 7)  # shown to a habit that has never had one
MEASURE_FIELDS = ("target_type", "target", "unit")
FREQUENCY_FIELDS = ("frequency_numerator", "frequency_period", "frequency_denominator")


def period_for(days: int) -> str:
    if days == PERIOD_DAYS["week"]:
        return "week"
    return "month" if days in MONTH_LENGTHS else "days"


class HabitForm(forms.ModelForm):
    """A habit's settings. Fields that do not apply to the chosen kind and schedule (a target for
    a yes/no habit, weekdays for a daily one) are ignored, whatever was posted in them: the habit
    keeps what it had, so switching back brings them back."""

    use_required_attribute = False  # "required" depends on other choices; the server says which

    weekdays = forms.TypedMultipleChoiceField(
        choices=list(enumerate(WEEKDAY_NAMES)), coerce=int, widget=forms.CheckboxSelectMultiple, label="Which days?",
        error_messages={"required": "Pick at least one day."},
    )
    frequency_period = forms.ChoiceField(choices=PERIOD_CHOICES, required=False, label="Per")
    area = forms.ChoiceField(choices=[("", "None in particular")] + Goal.choices, required=False, label="Life area")
    icon_choice = forms.ChoiceField(
        choices=[("", "No icon")] + ICON_CHOICES, required=False, widget=forms.RadioSelect, label="Icon",
    )

    class Meta:
        model = Habit
        fields = [
            "name", "description", "icon", "colour", "kind", "unit", "target", "target_type",
            "schedule_kind", "weekdays", "frequency_numerator", "frequency_denominator", "planned_time", "area",
        ]
        labels = {
            "schedule_kind": "How often?", "frequency_numerator": "Times", "frequency_denominator": "Days",
            "planned_time": "Planned time of day", "kind": "Type", "target_type": "Target is",
            "icon": "Or type your own", "colour": "Colour",
        }
        help_texts = {
            "planned_time": "Your coach compares it with when you actually check in.",
            "unit": "For example km, pages or minutes.",
            "icon": "Any emoji; it is used instead of one picked above.",
        }
        widgets = {
            "planned_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.TextInput(),
            "kind": forms.RadioSelect,
            "schedule_kind": forms.RadioSelect,
            "colour": forms.RadioSelect,
            "target": forms.NumberInput(attrs={"step": "any", "min": 0}),
            "frequency_numerator": forms.NumberInput(attrs={"min": 1, "max": MAX_PERIOD_DAYS}),
            "frequency_denominator": forms.NumberInput(attrs={"min": 1, "max": MAX_PERIOD_DAYS}),
        }
        error_messages = {
            "name": {"required": "Give your habit a name.", "max_length": "Keep the name to 300 characters or fewer."},
            "target": {"required": "Measurable habits need a target, e.g. 5 (km)."},
            "unit": {"required": "Name the unit, e.g. km, pages or minutes."},
            "frequency_numerator": {"required": "How many times? For example 3.", "min_value": "At least once."},
            "frequency_denominator": {"required": "In how many days? For example 10.", "min_value": "At least 1 day."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "schedule_kind", "colour", "target_type"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]
        for name in ("target", "unit", "frequency_numerator", "frequency_denominator"):
            self.fields[name].required = True  # when they apply; see clean()
        for name in ("frequency_numerator", "frequency_denominator"):
            self.fields[name].widget.attrs["min"] = 1
        habit = self.instance
        times, days = habit.frequency_numerator, habit.frequency_denominator
        if (times, days) == (1, 1):
            times, days = SUGGESTED_FREQUENCY
        self.initial.update(frequency_numerator=times, frequency_denominator=days, frequency_period=period_for(days))
        if habit.target is not None:
            self.initial["target"] = str(habit.target).removesuffix(".0")  # "5", not "5.0"; exact, unlike rounding
        typed = habit.icon not in dict(ICON_CHOICES)  # then it matches no radio, so none is checked
        self.initial.update(icon_choice=habit.icon, icon=habit.icon if typed else "")
        # Values a measurable habit logged: switching it to yes/no keeps them out of sight.
        self.logged_values = habit.check_ins.exclude(value=None).count() if habit.pk and habit.is_measurable else 0

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give your habit a name.")
        return name

    def clean(self):
        data = super().clean()
        for name in self.fields_not_applying(data):
            self.errors.pop(name, None)  # ignored, junk and all
            if name in self.Meta.fields:
                data[name] = getattr(self.instance, name)
        if data.get("frequency_period") in PERIOD_DAYS:
            data["frequency_denominator"] = self.period_days(data["frequency_period"])
        data["icon"] = data.get("icon") or data.get("icon_choice") or ""
        target = data.get("target")
        if target is not None and target > MAX_VALUE:
            self.add_error("target", "That target is too large.")
        elif target is not None and data.get("kind") == HabitKind.MEASURABLE and not self.target_is_meaningful(target, data.get("target_type")):
            self.add_error("target", "Aim for 0.01 or more (or “at most 0” for something to avoid).")
        return data

    @staticmethod
    def target_is_meaningful(target: float, target_type: str) -> bool:
        """Values show to two decimals, so a smaller target could never be read; "at least 0" is met by anything."""
        return target >= 0.01 or (target == 0 and target_type == TargetType.AT_MOST)

    @staticmethod
    def fields_not_applying(data) -> list[str]:
        ignored = []
        if data.get("kind") != HabitKind.MEASURABLE:
            ignored += MEASURE_FIELDS
        if data.get("schedule_kind") != ScheduleKind.WEEKDAYS:
            ignored.append("weekdays")
        if data.get("schedule_kind") != ScheduleKind.FREQUENCY:
            ignored += FREQUENCY_FIELDS
        elif data.get("frequency_period") in PERIOD_DAYS:
            ignored.append("frequency_denominator")
        return ignored

    def period_days(self, period: str) -> int:
        """A habit imported from Loop with 31 days "a month" keeps them."""
        if period == "month" and self.instance.frequency_denominator in MONTH_LENGTHS:
            return self.instance.frequency_denominator
        return PERIOD_DAYS[period]

    @property
    def values_set_aside(self) -> int:
        """How many logged values a measurable habit made yes/no keeps out of sight."""
        return self.logged_values if self.cleaned_data.get("kind") == HabitKind.BOOLEAN else 0

    def changes(self):
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class CheckInForm(forms.Form):
    day = forms.DateField(required=False, widget=DateInput())
    time = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    value = forms.FloatField(required=False, min_value=0, max_value=MAX_VALUE,
                             error_messages={"invalid": "Enter a number, e.g. 5 or 2.5."})
    note = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH)


class CheckInEditForm(forms.Form):
    time = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                           help_text="Leave it empty if you don't know when.")
    value = forms.FloatField(min_value=0, max_value=MAX_VALUE, label="How much")

    def __init__(self, *args, habit, **kwargs):
        super().__init__(*args, **kwargs)
        if habit.is_measurable:
            self.fields["value"].label = f"How much ({habit.unit})" if habit.unit else "How much"
            self.fields["value"].error_messages["required"] = f"Enter how much{f' ({habit.unit})' if habit.unit else ''}."
        else:
            del self.fields["value"]
    note = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH, widget=forms.TextInput())


PAUSE_EARLIEST, PAUSE_LATEST = date(2000, 1, 1), date(2100, 12, 31)


class PauseForm(forms.Form):
    start = forms.DateField(widget=DateInput(), label="From")
    end = forms.DateField(required=False, widget=DateInput(), label="Until")

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
