"""Email preferences, the Emails page and "view in browser"."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils.html import escape

from digests.models import DigestSend
from digests.services import digests_sweep
from tests.digests.conftest import add_habit, at, schedule_of, scheduled_profile
from tests.factories import DigestSendFactory, EmailSuppressionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile():
    return scheduled_profile(now=at("2026-06-01T12:00"), hour=20)


@pytest.fixture
def client_for(client):
    def login(profile):
        client.force_login(profile.user)
        return client
    return login


def test_preferences_show_the_digest_time_and_toggle_each_stream(profile, client_for, django_assert_max_num_queries):
    client = client_for(profile)
    with django_assert_max_num_queries(8):
        page = client.get("/email/preferences/")
    assert page.status_code == 200
    assert b"20:00 (Europe/London)" in page.content
    for name in (b'name="digest_hour"', b'name="digest_enabled"', b'name="drip_enabled"'):
        assert name in page.content

    with time_machine.travel(at("2026-06-01T12:00"), tick=False):
        response = client.post("/email/preferences/", {"digest_hour": 20, "drip_enabled": "on"})
    assert response.status_code == 302
    profile.refresh_from_db()
    schedule = schedule_of(profile)
    assert not schedule.digest_enabled and schedule.drip_enabled and schedule.next_digest_at is None

    with time_machine.travel(at("2026-06-01T12:00"), tick=False):
        client.post("/email/preferences/", {"digest_hour": 20, "digest_enabled": "on"})
    schedule = schedule_of(profile)
    assert schedule.digest_enabled and not schedule.drip_enabled
    assert schedule.next_digest_at == at("2026-06-01T19:00")


def test_preferences_change_the_digest_time_and_reschedule(profile, client_for):
    with time_machine.travel(at("2026-06-01T12:00"), tick=False):
        response = client_for(profile).post("/email/preferences/", {"digest_hour": 9, "digest_enabled": "on"})
    assert response.status_code == 302
    schedule = schedule_of(profile)
    assert schedule.digest_hour == 9 and schedule.digest_hour_overridden
    assert schedule.next_digest_at == at("2026-06-02T08:00")


def test_preferences_refuse_an_hour_that_does_not_exist(profile, client_for):
    response = client_for(profile).post("/email/preferences/", {"digest_hour": 24, "digest_enabled": "on"})
    assert response.status_code == 400 and b"Select a valid choice" in response.content
    assert schedule_of(profile).digest_hour == 20


def test_preferences_warn_about_a_suppressed_address(profile, client_for):
    EmailSuppressionFactory(email=profile.user.email)
    page = client_for(profile).get("/email/preferences/")
    assert b"bounced or were reported as spam" in page.content


def test_pages_need_a_login(client):
    for path in ("/email/preferences/", "/email/history/", "/email/history/1/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_emails_page_lists_past_digests_and_opens_them_as_sent(profile, client_for, django_assert_max_num_queries):
    add_habit(profile.user, "Run <fast>")
    for day in range(3):
        digests_sweep(now=at("2026-06-01T19:00") + dt.timedelta(days=day))
    client = client_for(profile)

    with django_assert_max_num_queries(8):
        page = client.get("/email/history/")
    assert page.status_code == 200
    assert page.content.count(b"/email/history/") >= 3
    newest = DigestSend.objects.filter(user=profile.user).latest("local_date")

    with django_assert_max_num_queries(8):
        detail = client.get(f"/email/history/{newest.pk}/")
    assert detail.status_code == 200
    body = detail.content.decode()
    assert escape(newest.subject) in body
    assert f'src="/email/history/{newest.pk}/email.html"' in body
    assert escape(mail.outbox[-1].body) in body   # the plain-text version, exactly as sent

    # The frame: the HTML part exactly as sent, inline styles allowed there and nothing else.
    frame = client.get(f"/email/history/{newest.pk}/email.html")
    assert frame.content.decode() == mail.outbox[-1].alternatives[0][0]
    assert "Run &lt;fast&gt;" in frame.content.decode()
    assert frame["Content-Security-Policy"].startswith("default-src 'none'; style-src 'unsafe-inline'")
    assert frame["X-Frame-Options"] == "SAMEORIGIN" and "no-store" in frame["Cache-Control"]


def test_nobody_can_open_someone_elses_digest(profile, client_for):
    other = scheduled_profile(now=at("2026-06-01T12:00"), hour=20)
    theirs = DigestSendFactory(user=other.user, subject="Theirs", content={"headline": "x"})
    assert client_for(profile).get(f"/email/history/{theirs.pk}/").status_code == 404
    assert client_for(profile).get(f"/email/history/{theirs.pk}/email.html").status_code == 404


def test_view_in_browser_escapes_what_the_person_typed(client_for):
    profile = scheduled_profile(now=at("2026-06-01T12:00"), hour=20, first_name="<script>x()</script>")
    digests_sweep(now=at("2026-06-01T19:00"))
    send = DigestSend.objects.get(user=profile.user)
    client = client_for(profile)
    for path in (f"/email/history/{send.pk}/", f"/email/history/{send.pk}/email.html"):
        assert "<script>x()" not in client.get(path).content.decode()


def test_data_export_includes_past_emails(profile, client_for):
    digests_sweep(now=at("2026-06-01T19:00"))
    exported = client_for(profile).get("/profile/export.json").json()
    assert [row["local_date"] for row in exported["emails"]] == ["2026-06-01"]
    assert exported["emails"][0]["status"] == "sent"
