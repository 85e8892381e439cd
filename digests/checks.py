from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def webhook_secret_is_set(app_configs, **kwargs):
    """With a real ESP, unauthenticated tracking webhooks could suppress addresses or unsubscribe people."""
    if getattr(settings, "ANYMAIL_ESP", "") and not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return [Warning(
            "ANYMAIL_WEBHOOK_SECRET is not set, so anyone can post tracking events to /anymail/.",
            hint="Set ANYMAIL_WEBHOOK_SECRET to 'user:password' and use it in the ESP's webhook URL.",
            id="digests.W001",
        )]
    return []
