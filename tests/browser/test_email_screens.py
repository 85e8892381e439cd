"""The daily digest as people see it: in a phone-sized mail client, light and dark, and in the browser."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from digests.models import DigestSend
from digests.services import digests_sweep
from onboarding.models import CoachingProfile
from tests.browser.test_screenshots import _shoot
from tests.digests.conftest import schedule_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_digest_email_reads_well_on_a_phone(browser, live_server, request, settings, scheme):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    call_command("seed_demo", verbosity=0)
    call_command("analyze_due", verbosity=0)
    profile = CoachingProfile.objects.get(user__email="demo@example.com")
    mail.outbox = []
    digests_sweep(now=schedule_of(profile).next_digest_at + dt.timedelta(minutes=1))
    message = mail.outbox[0]
    html = next(body for body, kind in message.alternatives if kind == "text/html")
    assert "Alex" in html and "unsubscribe" in html.lower()

    context = browser.new_context(viewport={"width": 360, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.set_content(html)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the email scrolls sideways by {overflow}px on a phone"
    _shoot(request, page, f"email-digest-phone-{scheme}")
    context.close()

    send = DigestSend.objects.get(user=profile.user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("demo@example.com")
    page.get_by_label("Password").fill("cadence-demo")
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/email/history/")
    _shoot(request, page, f"email-history-{scheme}")
    page.goto(f"{live_server.url}/email/history/{send.pk}/")
    assert send.subject in page.content() or "Perfect day" in page.content() or "done" in page.content()
    _shoot(request, page, f"email-in-browser-{scheme}")
    context.close()
