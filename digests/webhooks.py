"""The ESP's tracking webhook: the one URL it posts to, and what its events change.

It fails closed. Only the configured ESP's (`ANYMAIL_ESP`) tracking URL exists; anymail's
other providers and its inbound URLs are never mounted. Without `ANYMAIL_WEBHOOK_SECRET` that
URL answers 404 to everyone, because anymail on its own would accept unauthenticated posts and
anyone could suppress an address or unsubscribe a person. A body the ESP's parser cannot read
is the sender's fault (400), never ours (500, which ESPs retry).

Events are applied idempotently: providers deliver the same event more than once.
"""

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailConfigurationError
from anymail.signals import EventType, RejectReason, tracking
from anymail.utils import get_anymail_setting
from django.conf import settings
from django.core.exceptions import BadRequest, ImproperlyConfigured
from django.dispatch import receiver
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from .models import DIGEST_KIND, DigestSend, EmailSuppression, Stream, SuppressionReason
from .services import email_stream_set

# What a parser raises on a body of the wrong shape (not JSON, a list where an object belongs,
# nesting deep enough to exhaust the stack). AnymailConfigurationError is anymail's word for
# "this is not a tracking payload", e.g. an inbound message posted here.
MALFORMED_BODY_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError,
                         AnymailConfigurationError)

# The webhook URL

def webhook_secret_is_set() -> bool:
    """Read the secret the way anymail's views do (`ANYMAIL["WEBHOOK_SECRET"]` or `ANYMAIL_WEBHOOK_SECRET`)."""
    return bool(get_anymail_setting("webhook_secret", default=None))


def tracking_urlpatterns() -> list:
    """`anymail/<esp>/tracking/` for the configured ESP only; nothing when no ESP is configured."""
    esp = settings.ANYMAIL_ESP
    if not esp:
        return []
    anymail_view = next((p.callback for p in anymail_urls.urlpatterns if p.name == f"{esp}_tracking_webhook"), None)
    if anymail_view is None:
        raise ImproperlyConfigured(f"ANYMAIL_ESP={esp!r} has no anymail tracking webhook.")
    return [path(f"anymail/{esp}/tracking/", _fail_closed(anymail_view.view_class), name="tracking_webhook")]


def _fail_closed(view_class):
    class TrackingWebhookView(view_class):
        def parse_events(self, request):
            try:
                return list(super().parse_events(request))
            except MALFORMED_BODY_ERRORS as error:
                raise BadRequest(f"Unreadable {self.esp_name} tracking webhook body.") from error

    anymail_view = TrackingWebhookView.as_view()

    @csrf_exempt  # the ESP authenticates with basic auth, not a CSRF token
    def tracking_webhook(request, *args, **kwargs):
        if not webhook_secret_is_set():
            raise Http404("Tracking webhooks are off until ANYMAIL_WEBHOOK_SECRET is set.")
        return anymail_view(request, *args, **kwargs)

    return tracking_webhook


# What an event changes

EVENT_FIELDS = {
    EventType.DELIVERED: "delivered_at",
    EventType.OPENED: "opened_at",
    EventType.CLICKED: "clicked_at",
    EventType.BOUNCED: "bounced_at",
    EventType.COMPLAINED: "complained_at",
    EventType.UNSUBSCRIBED: "unsubscribed_at",
}
SOFT_BOUNCE_TYPES = {"SoftBounce", "Transient", "DnsError"}  # ESP words for "try again later"


@receiver(tracking)
def record_email_event(sender, event, esp_name, **kwargs):
    email_event_record(event=event, esp_name=esp_name)


def email_event_record(*, event, esp_name: str = "") -> DigestSend | None:
    """Apply one ESP tracking event; safe to receive the same event any number of times."""
    metadata = event.metadata or {}
    send = _send_for_event(event)
    field = EVENT_FIELDS.get(event.event_type)
    if send and field:
        DigestSend.objects.filter(pk=send.pk, **{f"{field}__isnull": True}).update(**{field: event.timestamp or timezone.now()})

    user_id = send.user_id if send else _id(metadata.get("user_id"))
    recipient = _address(event.recipient) or (send.user.email if send else "")

    if reason := _suppression_reason(event):
        address_suppress(email=recipient, reason=reason, detail=f"{esp_name} {event.description or event.mta_response or ''}".strip())
    if event.event_type == EventType.UNSUBSCRIBED and user_id is not None:
        stream = send.stream if send else _stream_of_kinds(str(metadata.get("kind") or DIGEST_KIND).split())
        if stream:
            email_stream_set(user_id=user_id, stream=stream, enabled=False)
    return send


def address_suppress(*, email: str, reason: str, detail: str = "") -> EmailSuppression | None:
    if not email:
        return None
    suppression, _ = EmailSuppression.objects.get_or_create(
        email=email.strip().lower(), defaults={"reason": reason, "detail": detail[:500]}
    )
    return suppression


def _stream_of_kinds(kinds: list[str]) -> str | None:
    """The stream an email of these kinds unsubscribes from, as its one-click link does (`DigestSend.stream`)."""
    if DIGEST_KIND in kinds:
        return Stream.DIGEST
    return Stream.DRIP if any(kind == Stream.DRIP or kind.startswith("drip-") for kind in kinds) else None


def _send_for_event(event) -> DigestSend | None:
    metadata = event.metadata or {}
    send_id = _id(metadata.get("send_id"))
    if send_id is not None:  # only scheduled emails carry a send id (account emails send an empty one)
        return DigestSend.objects.filter(pk=send_id).first()
    if event.message_id:
        return DigestSend.objects.filter(message_id=str(event.message_id)).first()
    return None


def _suppression_reason(event) -> str | None:
    esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
    if event.event_type == EventType.BOUNCED and esp_event.get("Type") not in SOFT_BOUNCE_TYPES:
        return SuppressionReason.BOUNCED
    if event.event_type == EventType.COMPLAINED:
        return SuppressionReason.COMPLAINED
    if event.event_type == EventType.REJECTED and event.reject_reason in (RejectReason.BOUNCED, RejectReason.SPAM):
        return SuppressionReason.REJECTED
    return None


# Event fields come from a request body: the ESP's parser passes on whatever JSON it was given.

def _id(value) -> int | None:
    """A primary key we wrote into the message's metadata, or None for anything else."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() else None  # "²".isdigit(), yet int("²") fails


def _address(value) -> str:
    """A recipient address that fits the suppression list, or "" for anything else."""
    fits = isinstance(value, str) and len(value) <= EmailSuppression._meta.get_field("email").max_length
    return value if fits else ""
