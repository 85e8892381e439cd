"""axe-core on every main page, light and dark: no serious or critical violations, and nothing the
Content-Security-Policy had to block (an inline style or script would show up here first)."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import Client

from digests.models import DigestSend
from digests.services import digests_sweep
from habits.models import Habit
from onboarding.models import CoachingProfile
from tests.digests.conftest import schedule_of
from tests.factories import UserFactory
from tests.onboarding.wizard_helpers import ANSWERS, post_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
BLOCKING = {"serious", "critical"}


def blocking_violations(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


def watch_csp(page, problems, label):
    """Chromium reports every blocked resource, inline style or script, and every header feature it
    does not know, on the console."""
    page.on("console", lambda message: problems.append(f"{label} {page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text else None)


def check(page, url, problems, label):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    problems.extend(f"{label} {url}: {violation}" for violation in blocking_violations(page))


def sign_in(page, live_server, email, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


WIDTHS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_signed_out_pages_and_every_wizard_step(browser, live_server, scheme, width):
    problems = []
    context = browser.new_context(viewport=WIDTHS[width], color_scheme=scheme)
    page = context.new_page()
    watch_csp(page, problems, scheme)
    for path in ("/", "/accounts/login/", "/accounts/signup/"):
        check(page, f"{live_server.url}{path}", problems, scheme)

    user = UserFactory()
    sign_in(page, live_server, user.email, "correct-horse-battery")
    page.get_by_text("Step 1 of 7").wait_for()
    # The browser and a test client share one server-side session: the client answers the steps
    # before each one the browser then checks.
    client = Client()
    client.cookies["sessionid"] = next(c["value"] for c in context.cookies() if c["name"] == "sessionid")
    for step in ANSWERS:
        check(page, f"{live_server.url}/welcome/{step}/", problems, scheme)
        client.get(f"/welcome/{step}/")
        post_step(client, step)
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_signed_in_pages(browser, live_server, scheme, width):
    call_command("seed_demo", verbosity=0)
    call_command("analyze_due", verbosity=0)
    habit = Habit.objects.get(name="Morning run")
    profile = CoachingProfile.objects.get(user=habit.user)
    digests_sweep(now=schedule_of(profile).next_digest_at + dt.timedelta(minutes=1))
    problems = []
    context = browser.new_context(viewport=WIDTHS[width], color_scheme=scheme)
    page = context.new_page()
    watch_csp(page, problems, scheme)
    sign_in(page, live_server, "demo@example.com", "cadence-demo")
    page.get_by_role("heading", name="Today", exact=True).wait_for()
    paths = ["/today/", "/habits/", f"/habits/{habit.pk}/", f"/habits/{habit.pk}/edit/", "/habits/new/", "/coaching/",
             "/analytics/", "/leaderboard/", "/profile/", "/profile/data/", "/email/preferences/", "/email/history/",
             "/admin/metrics/"]
    send = DigestSend.objects.filter(user=habit.user).exclude(subject="").first()
    if send:
        paths.append(f"/email/history/{send.pk}/")
    for path in paths:
        check(page, f"{live_server.url}{path}", problems, scheme)
    context.close()
    assert send, "the demo person should have a digest to view in the browser"
    assert not problems, "\n".join(problems)
