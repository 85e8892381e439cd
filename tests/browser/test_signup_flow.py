import pytest
from django.core import mail

from onboarding.models import CoachingProfile
from tests.digests.conftest import schedule_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_user_signs_up_and_completes_the_wizard_by_clicking(page, live_server):
    page.goto(live_server.url)
    page.get_by_role("link", name="Start free").click()
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password", exact=True).fill("a-Strong-pass-123")
    page.get_by_label("Password (again)").fill("a-Strong-pass-123")
    page.get_by_label("First name").fill("Noor")
    page.get_by_role("button", name="Sign Up").click()

    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/confirm-email/" in line).strip()
    page.goto(f"{live_server.url}{link[link.index('/accounts/confirm-email/'):]}")
    page.get_by_role("button", name="Confirm").click()

    page.get_by_text("Step 1 of 7").wait_for()
    page.get_by_label("Health & fitness").check()
    page.get_by_label("Sleep").check()
    page.get_by_role("button", name="Continue").click()

    page.get_by_text("Step 2 of 7").wait_for()
    page.get_by_label("Your main habit").fill("Walk 20 minutes")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Low energy").check()
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Why is now the right time?").fill("Winter is coming and I sit too much.")
    page.get_by_role("button", name="Continue").click()

    page.get_by_text("Step 5 of 7").wait_for()
    assert page.get_by_label("Time zone").input_value() == "Europe/Berlin"
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Evening person").check()
    page.get_by_role("button", name="Continue").click()

    page.get_by_text("Step 7 of 7").wait_for()
    page.get_by_label("What would make the next 30 days a success?").fill("Walking 25 of 30 days")
    page.get_by_label("Direct: tell it straight").check()
    page.get_by_role("button", name="Finish").click()

    page.get_by_role("heading", name="Today", exact=True).wait_for()
    profile = CoachingProfile.objects.get(user__email="newcomer@example.com")
    assert profile.timezone == "Europe/Berlin"
    assert schedule_of(profile).digest_hour == 20
    assert profile.user.habits.get().name == "Walk 20 minutes"
