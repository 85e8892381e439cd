from django.conf import settings
from django.core.checks import Error, Tags, register

from .webhooks import webhook_secret_is_set


@register(Tags.security, deploy=True)
def webhook_secret_check(app_configs, **kwargs):
    """The tracking webhook stays off (404) without a secret, so bounces and complaints would go unheard."""
    if settings.ANYMAIL_ESP and not webhook_secret_is_set():
        return [Error(
            f"ANYMAIL_ESP is {settings.ANYMAIL_ESP!r} but ANYMAIL_WEBHOOK_SECRET is not set: the tracking webhook "
            f"refuses every request, so bounces, spam complaints and unsubscribes from the ESP are lost.",
            hint="Set ANYMAIL_WEBHOOK_SECRET to 'user:password' and put the same credentials in the ESP's webhook URL "
                 f"(https://user:password@your-host/anymail/{settings.ANYMAIL_ESP}/tracking/).",
            id="digests.E001",
        )]
    return []
