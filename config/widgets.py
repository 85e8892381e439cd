"""Form widgets every app shares."""

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker. It accepts only ISO dates, so the value is always written as one
    (the locale's "01/12/2026" would leave the box empty)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
