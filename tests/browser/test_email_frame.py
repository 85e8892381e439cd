"""An email shown in the browser is shown whole: its frame takes the email's height, at any window width."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from digests.models import DigestSend
from digests.services import digests_sweep
from onboarding.models import CoachingProfile
from tests.digests.conftest import schedule_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRAME_AND_EMAIL_HEIGHTS = """() => {
  const frame = document.querySelector("iframe.email-frame");
  return [frame.getBoundingClientRect().height, frame.contentDocument.documentElement.scrollHeight];
}"""


def log_in_as_demo(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("demo@example.com")
    page.get_by_label("Password").fill("cadence-demo")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def assert_frame_shows_the_whole_email(page):
    page.wait_for_selector("iframe.email-frame[data-fitted]", state="attached")
    frame_height, email_height = page.evaluate(FRAME_AND_EMAIL_HEIGHTS)
    assert email_height > 0.8 * page.viewport_size["height"], "the email is long enough to have been cut before"
    assert frame_height >= email_height, f"the frame shows {frame_height:.0f}px of a {email_height}px email"


@pytest.fixture
def demo_digest(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    call_command("seed_demo", verbosity=0)
    call_command("analyze_due", verbosity=0)
    profile = CoachingProfile.objects.get(user__email="demo@example.com")
    mail.outbox = []
    digests_sweep(now=schedule_of(profile).next_digest_at + dt.timedelta(minutes=1))
    return DigestSend.objects.get(user=profile.user)


def test_view_in_browser_shows_the_whole_digest_at_any_width(page, live_server, demo_digest):
    log_in_as_demo(page, live_server)
    page.goto(f"{live_server.url}/email/history/{demo_digest.pk}/")
    assert_frame_shows_the_whole_email(page)
    page.evaluate("delete document.querySelector('iframe.email-frame').dataset.fitted")
    page.set_viewport_size({"width": 375, "height": 800})
    assert_frame_shows_the_whole_email(page)


def test_the_development_outbox_shows_the_whole_digest(page, live_server, settings, tmp_path, demo_digest):
    settings.DEBUG = True
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.EMAIL_BACKEND = "digests.dev_outbox.EmailBackend"
    mail.get_connection().send_messages([mail.outbox[0]])
    log_in_as_demo(page, live_server)
    page.goto(f"{live_server.url}/email/dev-outbox/")
    page.get_by_role("link", name=demo_digest.subject).click()
    assert_frame_shows_the_whole_email(page)
