"""The staff review of coaching insights fits a laptop screen: the review column stays in view."""

import pytest

from tests.factories import InsightFactory, ProfileFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_insight_review_column_is_on_screen_at_1280_px(page, live_server):
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
    person = ProfileFactory(user__email="a.rather.long.address.for.a.person@example-company.co.uk").user
    long_name = "Meditate" * 10
    for _ in range(3):
        InsightFactory(
            run__user=person, habit_name=long_name,
            title=(f"{long_name} slips on Saturdays and Sundays, while every other day of the week it holds steady " * 2)[:200],
        )
    page.goto(f"{live_server.url}/admin/login/")   # staff sign in through the account login
    page.locator("#id_login").fill(staff.email)
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/coaching/coachinginsight/")
    review = page.locator("th.column-review_status").bounding_box()
    visible = page.locator("#changelist .results").bounding_box()   # the admin scrolls a wide table inside this box
    assert review["x"] + review["width"] <= min(visible["x"] + visible["width"], 1280), "the review column is cut off"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the insight list scrolls sideways by {overflow}px"
