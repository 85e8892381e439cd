"""The seven onboarding questions, in order, with what we say about each, and where a started onboarding
keeps its answers."""

import copy
from dataclasses import dataclass

from formtools.wizard.storage.base import BaseStorage

from . import forms
from .selectors import onboarding_draft_of
from .services import onboarding_draft_save


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


class DraftStorage(BaseStorage):
    """The wizard's state kept per person in the database instead of the session: logging out flushes the
    session, and a started onboarding must survive that. Read once per request, written back only if changed."""

    def __init__(self, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage)
        self.init_data()
        draft = onboarding_draft_of(user=request.user)
        if draft is not None:
            self.data[self.step_key] = draft.current_step or None
            self.data[self.step_data_key] = draft.answers
        self._stored = copy.deepcopy(self.data)

    def update_response(self, response):
        super().update_response(response)
        if self.data != self._stored:
            onboarding_draft_save(
                user=self.request.user, current_step=self.current_step, answers=self.data[self.step_data_key]
            )
            self._stored = copy.deepcopy(self.data)
