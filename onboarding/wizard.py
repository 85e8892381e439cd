"""The seven onboarding questions, in order, with what we say about each."""

from dataclasses import dataclass

from . import forms


@dataclass(frozen=True)
class Step:
    name: str
    form_class: type
    title: str
    why: str


STEPS = [
    Step("goals", forms.GoalsStepForm, "What do you want to work on?",
         "Your coach links every suggestion back to the areas you care about."),
    Step("habit", forms.MainHabitStepForm, "Which habit matters most right now?",
         "We start with one habit. It becomes your first habit to track."),
    Step("obstacle", forms.ObstacleStepForm, "What usually gets in the way?",
         "Advice for forgetting is different from advice for low energy."),
    Step("why", forms.WhyNowStepForm, "Why now?",
         "Your own reason is the best reminder on a hard day."),
    Step("timezone", forms.TimezoneStepForm, "Where are you?",
         "Your days, streaks and daily email follow your local time."),
    Step("chronotype", forms.ChronotypeStepForm, "Morning or evening person?",
         "We pick a good time for your daily email and compare it with when you actually check in."),
    Step("success", forms.SuccessStepForm, "What would success look like?",
         "We measure your next 30 days against your own definition."),
]
STEP_NAMES = [step.name for step in STEPS]
