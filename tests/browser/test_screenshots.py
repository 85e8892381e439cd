"""Every main page at phone and desktop width, light and dark: no sideways scrolling, and
screenshots to look at (`make screenshots` writes them to screenshots/)."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from habits.models import Habit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 900}}
OUT = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_users", count=150, days=90, seed=3, prefix="crowd", stdout=io.StringIO())  # for the staff page
    call_command("analyze_due", verbosity=0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_pages_fit_the_screen(browser, live_server, demo, request, width, scheme):
    context = browser.new_context(viewport=VIEWPORTS[width], color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    if width == "phone" and scheme == "light":
        _shoot(request, page, f"login-{width}-{scheme}")
    page.get_by_label("Email").fill("demo@example.com")
    page.get_by_label("Password").fill("cadence-demo")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Today", exact=True).wait_for()
    habit = Habit.objects.get(name="Morning run")
    for name, path in [("today", "/today/"), ("habits", "/habits/"), ("habit", f"/habits/{habit.pk}/"),
                       ("habit-form", f"/habits/{habit.pk}/edit/"), ("coaching", "/coaching/"), ("profile", "/profile/"),
                       ("your-data", "/profile/data/"), ("analytics", "/analytics/"), ("analytics-90", "/analytics/?days=90"),
                       ("leaderboard", "/leaderboard/"), ("metrics", "/admin/metrics/")]:
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width} width"
        _shoot(request, page, f"{name}-{width}-{scheme}")
    context.close()


def _shoot(request, page, name):
    if request.config.getoption("--screenshots"):
        OUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
