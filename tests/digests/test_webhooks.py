"""Provider webhooks: real signed Postmark payloads posted to anymail's tracking URL."""

import base64
import datetime as dt
import json

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.test import Client

from digests.models import DigestSend, EmailSuppression, SendStatus
from digests.services import digests_sweep
from tests.digests.conftest import at, scheduled_profile

pytestmark = pytest.mark.django_db

URL = "/anymail/postmark/tracking/"
AUTH = "Basic " + base64.b64encode(b"hook:secret").decode()


@pytest.fixture
def sent():
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    digests_sweep(now=at("2026-06-01T19:00"))
    return DigestSend.objects.get(user=profile.user)


def post(payload, auth=AUTH):
    return Client(enforce_csrf_checks=True).post(URL, data=json.dumps(payload), content_type="application/json",
                                                 HTTP_AUTHORIZATION=auth)


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
    assert not profile.digest_enabled and profile.drip_enabled and profile.next_digest_at is None
    assert digests_sweep(now=at("2026-06-02T19:00")).sent == 0


def test_events_without_metadata_are_matched_by_message_id(sent):
    body = payload(sent, "Delivery", DeliveredAt="2026-06-01T19:00:05Z", MessageID=sent.message_id)
    del body["Metadata"]
    post(body)
    sent.refresh_from_db()
    assert sent.delivered_at is not None


def test_webhook_without_the_shared_secret_is_refused(sent):
    response = post(payload(sent, "Bounce", Type="HardBounce", Email=sent.user.email, ID=45),
                    auth="Basic " + base64.b64encode(b"hook:wrong").decode())
    assert response.status_code == 400
    assert EmailSuppression.objects.count() == 0


def test_tracking_signal_unsubscribe_for_another_stream_turns_only_that_stream_off(sent):
    event = AnymailTrackingEvent(event_type="unsubscribed", recipient=sent.user.email,
                                 metadata={"kind": "drip", "user_id": str(sent.user_id), "send_id": "77"})
    tracking.send(sender=object, event=event, esp_name="Test")
    profile = sent.user.coaching_profile
    profile.refresh_from_db()
    assert profile.digest_enabled and not profile.drip_enabled
    assert DigestSend.objects.get(pk=sent.pk).status == SendStatus.SENT


def test_suppressed_addresses_get_no_email_of_any_kind(sent):
    from django.core.mail import send_mail

    EmailSuppression.objects.create(email=sent.user.email, reason="bounced")
    mail.outbox = []
    assert send_mail("Reset your password", "…", None, [sent.user.email]) == 0
    assert send_mail("Hello both", "…", None, [sent.user.email, "other@example.com"]) == 1
    assert [m.to for m in mail.outbox] == [["other@example.com"]]
