"""allauth's account emails, sent through the one email helper in Cadence's design.

allauth names each email by a template prefix; `ACCOUNT_EMAIL_KINDS` maps the ones our settings
can send to our kinds, rendered from `templates/emails/<kind>/`. allauth's context (links,
`email`, `user`) is passed through, minus its `current_site` (named after the request's host):
our templates say "Cadence" whatever host the request came to, and greet by first name, never
by username.
"""

from dataclasses import replace

from django.contrib.auth import get_user_model

from onboarding.adapters import AccountAdapter

from .emails import build_email, render_email

ACCOUNT_EMAIL_KINDS = {
    # Signup and "confirm this address again" ask for the same click.
    "account/email/email_confirmation_signup": "account-confirm",
    "account/email/email_confirmation": "account-confirm",
    "account/email/password_reset_key": "password-reset",
    # Enumeration prevention: a signup or reset for an address answers the same either way,
    # and the address's owner learns what happened by email.
    "account/email/account_already_exists": "account-already-exists",
    "account/email/unknown_account": "unknown-account",
}


class CadenceAccountAdapter(AccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        try:
            kind = ACCOUNT_EMAIL_KINDS[template_prefix]
        except KeyError:
            raise LookupError(
                f"allauth wants to send {template_prefix!r}, which has no Cadence template: "
                "add it to ACCOUNT_EMAIL_KINDS with templates under templates/emails/<kind>/."
            ) from None
        user = context.get("user")
        if user is None and kind == "account-already-exists":
            # It goes to the account's own address, so greeting its owner by name tells nobody else anything.
            user = get_user_model().objects.filter(email__iexact=email).first()
        rendered = render_email(kind, {**context, "email": email, "first_name": user.first_name if user else ""})
        rendered = replace(rendered, subject=self.format_email_subject(rendered.subject))
        build_email(kinds=[kind], to=email, rendered=rendered, user_id=user.pk if user else None).send()
