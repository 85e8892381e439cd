"""Provider webhooks: real Postmark payloads posted through anymail's own Postmark tracking view.

The webhook fails closed: only the configured ESP's tracking URL exists, it refuses everything
without a secret, forged posts change nothing and unreadable bodies get 400, never 500.
"""

import base64
import datetime as dt
import json

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from digests.models import STREAM_FIELDS, DigestSend, EmailSchedule, EmailSuppression, SendStatus
from digests.services import digests_sweep
from digests.webhooks import EVENT_FIELDS, tracking_urlpatterns
from tests.digests.conftest import at, schedule_of, scheduled_profile

pytestmark = pytest.mark.django_db

URL = "/anymail/postmark/tracking/"
AUTH = "Basic " + base64.b64encode(b"hook:secret").decode()


@pytest.fixture
def sent():
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    digests_sweep(now=at("2026-06-01T19:00"))
    return DigestSend.objects.get(user=profile.user)


def post(payload, auth=AUTH, url=URL):
    body = payload if isinstance(payload, bytes) else json.dumps(payload)
    headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
    return Client(enforce_csrf_checks=True).post(url, data=body, content_type="application/json", **headers)


def basic(credentials: bytes) -> str:
    return "Basic " + base64.b64encode(credentials).decode()


def payload(send, record_type, **fields):
    return {
        "RecordType": record_type, "MessageID": "2b4a1d0c-postmark", "Tag": "digest",
        "Metadata": {"kind": "digest", "user_id": str(send.user_id), "send_id": str(send.pk)},
        "Recipient": send.user.email, **fields,
    }


def test_delivery_open_and_click_are_recorded_once_against_the_send(sent):
    for _ in range(2):   # providers retry webhooks; receivers are idempotent
        assert post(payload(sent, "Delivery", DeliveredAt="2026-06-01T19:00:05Z")).status_code == 200
    post(payload(sent, "Open", FirstOpen=True, ReceivedAt="2026-06-01T21:10:00Z"))
    post(payload(sent, "Open", FirstOpen=False, ReceivedAt="2026-06-02T08:00:00Z"))
    post(payload(sent, "Click", OriginalLink="http://testserver/today/", ReceivedAt="2026-06-01T21:11:00Z"))

    sent.refresh_from_db()
    assert sent.delivered_at == at("2026-06-01T19:00") + dt.timedelta(seconds=5)
    assert sent.opened_at == at("2026-06-01T21:10")
    assert sent.clicked_at == at("2026-06-01T21:11")
    assert EmailSuppression.objects.count() == 0


def test_hard_bounce_suppresses_the_address_and_stops_all_digests(sent):
    response = post(payload(sent, "Bounce", Type="HardBounce", Email=sent.user.email, BouncedAt="2026-06-01T19:01:00Z",
                            Description="Unknown user", Details="smtp;550 5.1.1 no such user", ID=42))
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.bounced_at is not None
    assert EmailSuppression.objects.get().email == sent.user.email.lower()

    result = digests_sweep(now=at("2026-06-02T19:00"))

    assert (result.sent, result.skipped) == (0, 1)
    assert len(mail.outbox) == 1
    assert "suppressed" in DigestSend.objects.get(user=sent.user, local_date=dt.date(2026, 6, 2)).reason


def test_soft_bounce_does_not_suppress(sent):
    post(payload(sent, "Bounce", Type="SoftBounce", Email=sent.user.email, BouncedAt="2026-06-01T19:01:00Z", ID=43))
    assert EmailSuppression.objects.count() == 0


def test_spam_complaint_suppresses_the_address(sent):
    post(payload(sent, "SpamComplaint", Type="SpamComplaint", Email=sent.user.email, BouncedAt="2026-06-01T20:00:00Z", ID=44))
    post(payload(sent, "SpamComplaint", Type="SpamComplaint", Email=sent.user.email, BouncedAt="2026-06-01T20:00:00Z", ID=44))
    sent.refresh_from_db()
    assert sent.complained_at is not None
    assert EmailSuppression.objects.get().reason == "complained"


def test_unsubscribe_at_the_provider_turns_the_digest_off(sent):
    post(payload(sent, "SubscriptionChange", SuppressSending=True, SuppressionReason="ManualSuppression",
                 ChangedAt="2026-06-01T20:00:00Z"))
    sent.refresh_from_db()
    profile = sent.user.coaching_profile
    profile.refresh_from_db()
    assert sent.unsubscribed_at is not None
    schedule = schedule_of(profile)
    assert not schedule.digest_enabled and schedule.drip_enabled and schedule.next_digest_at is None
    assert digests_sweep(now=at("2026-06-02T19:00")).sent == 0


def test_events_without_metadata_are_matched_by_message_id(sent):
    body = payload(sent, "Delivery", DeliveredAt="2026-06-01T19:00:05Z", MessageID=sent.message_id)
    del body["Metadata"]
    post(body)
    sent.refresh_from_db()
    assert sent.delivered_at is not None


def forgeries(send):
    """Posts that would suppress the address and switch off both streams if they were believed."""
    return [
        payload(send, "Bounce", Type="HardBounce", Email=send.user.email, BouncedAt="2026-06-01T19:01:00Z", ID=45),
        payload(send, "SpamComplaint", Type="SpamComplaint", Email=send.user.email, BouncedAt="2026-06-01T20:00:00Z", ID=46),
        payload(send, "SubscriptionChange", SuppressSending=True, SuppressionReason="ManualSuppression",
                ChangedAt="2026-06-01T20:00:00Z"),
        {**payload(send, "SubscriptionChange", SuppressSending=True, SuppressionReason="ManualSuppression"),
         "Metadata": {"kind": "drip", "user_id": str(send.user_id), "send_id": "77"}},
        payload(send, "Delivery", DeliveredAt="2026-06-01T19:00:05Z"),
    ]


def state(send):
    """Everything a tracking event can change."""
    send = DigestSend.objects.get(pk=send.pk)
    schedule = EmailSchedule.objects.get(user_id=send.user_id)
    return (
        list(EmailSuppression.objects.values_list("email", "reason")),
        {field: getattr(send, field) for field in EVENT_FIELDS.values()},
        {field: getattr(schedule, field) for field in STREAM_FIELDS.values()},
    )


@pytest.mark.parametrize("auth", [None, basic(b"hook:wrong"), basic(b"hook:"), basic(b"hook"), "Bearer hook:secret"])
def test_forged_webhooks_are_refused_and_change_nothing(sent, auth):
    before = state(sent)
    for body in forgeries(sent):
        assert post(body, auth=auth).status_code == 400
    assert state(sent) == before

    for body in forgeries(sent):   # the same posts with the secret are believed, so the ones above were real attacks
        assert post(body).status_code == 200
    assert state(sent) != before


def test_without_a_secret_the_webhook_refuses_every_request(sent, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}
    before = state(sent)
    for body in forgeries(sent):
        for auth in (None, AUTH, basic(b":")):
            assert post(body, auth=auth).status_code == 404
    assert Client().head(URL).status_code == 404
    assert Client().get(URL).status_code == 404
    assert state(sent) == before


@pytest.mark.parametrize("url", [
    "/anymail/sendgrid/tracking/", "/anymail/mailgun/tracking/", "/anymail/amazon_ses/tracking/",
    "/anymail/mandrill/", "/anymail/mandrill/tracking/", "/anymail/postmark/inbound/", "/anymail/postmark/",
])
def test_only_the_configured_esps_tracking_url_exists(sent, url):
    before = state(sent)
    for body in forgeries(sent):
        assert post(body, url=url).status_code == 404
    assert state(sent) == before


def test_tracking_url_is_mounted_for_the_configured_esp_only(settings):
    settings.ANYMAIL_ESP = ""
    assert tracking_urlpatterns() == []
    settings.ANYMAIL_ESP = "sendgrid"
    assert [str(p.pattern) for p in tracking_urlpatterns()] == ["anymail/sendgrid/tracking/"]
    settings.ANYMAIL_ESP = "postmarc"
    with pytest.raises(ImproperlyConfigured, match="postmarc"):
        tracking_urlpatterns()


DEEPLY_NESTED = b"[" * 200_000 + b"]" * 200_000


@pytest.mark.parametrize("body", [
    b"", b"not json", b"{", b"\xff\xfe\x00", b"null", b"42", b'"Bounce"', b"[]", b'[{"RecordType": "Bounce"}]',
    b'{"RecordType": ["Bounce"]}', b'{"RecordType": "Bounce", "Type": {"HardBounce": 1}}',
    b'{"RecordType": "Bounce", "Type": "HardBounce", "Metadata": "digest"}',
    b'{"RecordType": "Bounce", "Type": "HardBounce", "Metadata": null}',
    b'{"RecordType": "Delivery", "DeliveredAt": 1780340405}',
    b'{"RecordType": "Delivery", "DeliveredAt": "2026-13-45T25:00:00Z"}',
    b'{"FromFull": {"Email": "someone@example.com"}, "TextBody": "an inbound message at the tracking URL"}',
    DEEPLY_NESTED,
    b'{"RecordType": "Delivery", "Padding": "' + b"x" * 3_000_000 + b'"}',   # over DATA_UPLOAD_MAX_MEMORY_SIZE
], ids=lambda body: body[:40].decode("utf-8", "replace") or "empty")
def test_unreadable_bodies_get_400_and_change_nothing(sent, body):
    before = state(sent)
    assert post(body).status_code == 400
    assert state(sent) == before


@pytest.mark.parametrize("fields", [
    {"Email": 42, "Metadata": {"send_id": "9" * 40, "user_id": ["1"], "kind": ["digest"]}},
    {"Email": "x" * 300 + "@example.com", "Metadata": {"send_id": "²", "user_id": "-1"}},
    {"Email": {"address": "a@example.com"}, "Metadata": {}, "MessageID": ["m"]},
])
def test_readable_bodies_with_fields_we_cannot_use_change_nothing(sent, fields):
    before = state(sent)
    response = post({"RecordType": "Bounce", "Type": "HardBounce", **fields})
    assert response.status_code == 200   # a real event we cannot attribute: acknowledged so the ESP stops retrying
    assert state(sent) == before


def test_tracking_signal_unsubscribe_for_another_stream_turns_only_that_stream_off(sent):
    event = AnymailTrackingEvent(event_type="unsubscribed", recipient=sent.user.email,
                                 metadata={"kind": "drip", "user_id": str(sent.user_id), "send_id": "77"})
    tracking.send(sender=object, event=event, esp_name="Test")
    profile = sent.user.coaching_profile
    profile.refresh_from_db()
    schedule = schedule_of(profile)
    assert schedule.digest_enabled and not schedule.drip_enabled
    assert DigestSend.objects.get(pk=sent.pk).status == SendStatus.SENT


def test_suppressed_addresses_get_no_email_of_any_kind(sent):
    from django.core.mail import send_mail

    EmailSuppression.objects.create(email=sent.user.email, reason="bounced")
    mail.outbox = []
    assert send_mail("Reset your password", "…", None, [sent.user.email]) == 0
    assert send_mail("Hello both", "…", None, [sent.user.email, "other@example.com"]) == 1
    assert [m.to for m in mail.outbox] == [["other@example.com"]]


def test_an_esp_unsubscribe_from_a_drip_only_email_turns_off_the_drip_and_leaves_the_digest():
    from anymail.signals import AnymailTrackingEvent, EventType

    from digests.webhooks import email_event_record
    from tests.factories import DigestSendFactory, ProfileFactory

    profile = ProfileFactory()
    send = DigestSendFactory(user=profile.user, includes_digest=False, milestone=3)
    event = AnymailTrackingEvent(event_type=EventType.UNSUBSCRIBED, recipient=profile.user.email,
                                 metadata={"kind": "drip-day-3", "user_id": str(profile.user_id), "send_id": str(send.pk)})
    assert email_event_record(event=event) == send
    profile.refresh_from_db()
    schedule = schedule_of(profile)
    assert not schedule.drip_enabled and schedule.digest_enabled


def test_an_esp_unsubscribe_from_a_digest_carrying_a_milestone_turns_off_the_digest_only():
    from anymail.signals import AnymailTrackingEvent, EventType

    from digests.webhooks import email_event_record
    from tests.factories import DigestSendFactory, ProfileFactory

    profile = ProfileFactory()
    send = DigestSendFactory(user=profile.user, milestone=7)
    event = AnymailTrackingEvent(event_type=EventType.UNSUBSCRIBED, recipient=profile.user.email,
                                 metadata={"kind": "digest drip-day-7", "user_id": str(profile.user_id), "send_id": str(send.pk)})
    email_event_record(event=event)
    profile.refresh_from_db()
    schedule = schedule_of(profile)
    assert not schedule.digest_enabled and schedule.drip_enabled
