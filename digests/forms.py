from django import forms


class EmailPreferencesForm(forms.Form):
    digest_hour = forms.TypedChoiceField(
        label="Daily email time",
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        help_text="Local time. Follows your chronotype unless you change it here.",
    )
    digest_enabled = forms.BooleanField(
        label="Daily digest", required=False,
        help_text="One calm email a day at your chosen hour: how the day went, your streaks and one coaching tip.",
    )
    drip_enabled = forms.BooleanField(
        label="Coaching emails for the first 30 days", required=False,
        help_text="A short series that helps you set up habits that last.",
    )
