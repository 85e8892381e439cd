"""Screenshots of the onboarding wizard and the landing page (saved with --screenshots)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_screenshots import VIEWPORTS, _shoot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_landing_and_first_wizard_step_fit_the_screen(browser, live_server, request, width):
    user = UserFactory()
    context = browser.new_context(viewport=VIEWPORTS[width])
    page = context.new_page()
    page.goto(live_server.url)
    _shoot(request, page, f"landing-{width}")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_text("Step 1 of 7").wait_for()
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Choose at least one area.", exact=True).wait_for()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    _shoot(request, page, f"wizard-error-{width}")
    context.close()


def test_a_wizard_step_sent_back_with_errors_puts_focus_on_its_summary(page, login):
    login(UserFactory().email)
    page.get_by_text("Step 1 of 7").wait_for()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(":focus")).to_have_class(re.compile("error-summary"))
    expect(page.locator(":focus")).to_contain_text("Choose at least one area.")
    fieldset = page.locator("fieldset[aria-describedby]").first
    described = fieldset.get_attribute("aria-describedby").split()
    assert any(page.locator(f"#{name}").inner_text().strip() == "Choose at least one area." for name in described)
