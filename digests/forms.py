from django import forms


class EmailPreferencesForm(forms.Form):
    digest_enabled = forms.BooleanField(
        label="Daily digest", required=False,
        help_text="One calm email a day at your chosen hour: how the day went, your streaks and one coaching tip.",
    )
    drip_enabled = forms.BooleanField(
        label="Coaching emails for the first 30 days", required=False,
        help_text="A short series that helps you set up habits that last.",
    )
