"""Flows several browser tests drive the same way."""

from django.core import mail
from playwright.sync_api import expect


def sign_up_and_onboard(page, base_url: str, *, email: str, first_name: str, goals: tuple[str, ...], obstacle: str,
                        why_now: str, zone: str, chronotype: str, tone: str):
    """Sign up from the landing page, confirm the address from the email, and answer the 7-step wizard
    (main habit "Walk 20 minutes"), checking the time zone the browser suggests is `zone`."""
    page.goto(base_url)
    page.get_by_role("link", name="Start free").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("a-Strong-pass-123")
    page.get_by_label("Password (again)").fill("a-Strong-pass-123")
    page.get_by_label("First name").fill(first_name)
    page.get_by_role("button", name="Sign Up").click()

    page.get_by_role("heading", name="Check your inbox").wait_for()
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/confirm-email/" in line).strip()
    page.goto(f"{base_url}{link[link.index('/accounts/confirm-email/'):]}")
    page.get_by_role("button", name="Confirm").click()

    page.get_by_text("Step 1 of 7").wait_for()
    for goal in goals:
        page.get_by_label(goal).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Step 2 of 7").wait_for()
    page.get_by_label("Your main habit").fill("Walk 20 minutes")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(obstacle).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Why is now the right time?").fill(why_now)
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Step 5 of 7").wait_for()
    expect(page.get_by_label("Time zone")).to_have_value(zone)  # filled by cadence.js once it has run
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(chronotype).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Step 7 of 7").wait_for()
    page.get_by_label("What would make the next 30 days a success?").fill("Walking 25 of 30 days")
    page.get_by_label(tone).check()
    page.get_by_role("button", name="Finish").click()
    page.get_by_role("heading", name="Today", exact=True).wait_for()
