"""Pages stay inside the screen when a habit's name is one 200-character word, the logged-out
and signed-in navs fit a phone and cards in a row line up. With --screenshots the pages are saved as
screenshots/layout-*.png to look at."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from habits import services
from habits.management.commands.seed_demo import DEMO_EMAIL, DEMO_PASSWORD
from habits.models import Habit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 900}}
OUT = Path(__file__).resolve().parents[2] / "screenshots"
LONG_NAME = "Stretchingbeforebreakfast" * 8  # 200 characters, no place to break
LONG_NOTE = "Feltgreat" * 20


@pytest.fixture
def long_named_habit(db):
    """The demo account with a new habit named LONG_NAME (a week of check-ins, one with a
    long note) and its main habit renamed to another long word, so coaching quotes it."""
    call_command("seed_demo", verbosity=0)
    user = get_user_model().objects.get(email=DEMO_EMAIL)
    habit = services.habit_create(user=user, name=LONG_NAME)
    today = services.local_checkin_day(user, timezone.now())
    for back in range(1, 7):
        services.checkin_record(habit=habit, day=today - timedelta(days=back), note=LONG_NOTE if back == 1 else "")
    services.habit_update(habit=Habit.objects.get(user=user, name="Morning run"), changes={"name": "Run" + LONG_NAME[3:]})
    user.coaching_profile.main_habit = LONG_NAME[:80]   # the wizard's limit for the answer
    user.coaching_profile.save(update_fields=["main_habit"])
    call_command("analyze_due", verbosity=0)
    return habit


def demo_signed_in(browser, live_server, width):
    """A fresh browser context at `width`, signed in as the demo person, on Today."""
    context = browser.new_context(viewport=VIEWPORTS[width])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Today", exact=True).wait_for()
    page.wait_for_load_state()
    return context, page


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_a_one_word_habit_name_never_makes_a_page_scroll_sideways(browser, live_server, long_named_habit, request, width):
    context, page = demo_signed_in(browser, live_server, width)
    pk = long_named_habit.pk
    for name, path in [("today", "/today/"), ("habits", "/habits/"), ("habit", f"/habits/{pk}/"),
                       ("habit-form", f"/habits/{pk}/edit/"), ("coaching", "/coaching/"), ("analytics", "/analytics/"),
                       ("profile", "/profile/")]:
        page.goto(f"{live_server.url}{path}")
        _shoot(request, page, f"layout-{name}-{width}")
        if name in ("today", "habits", "habit"):
            assert page.get_by_text(LONG_NAME).first.is_visible(), f"{path} does not show the habit"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width} width: {_too_wide(page)}"
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_landing_page_fits_and_its_nav_is_one_row(browser, live_server, request, width, scheme):
    context = browser.new_context(viewport=VIEWPORTS[width], color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    _shoot(request, page, f"layout-landing-{width}-{scheme}")
    brand = page.locator(".brand").bounding_box()
    nav = page.get_by_role("navigation", name="Main").bounding_box()
    assert nav["y"] < brand["y"] + brand["height"], "the nav wraps below the brand"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the landing page scrolls sideways by {overflow}px: {_too_wide(page)}"
    assert page.get_by_text("An example Today page").is_visible()
    context.close()


def test_cards_in_a_grid_row_line_up(browser, live_server):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    tops = [card.bounding_box()["y"] for card in page.locator(".grid > .card").all()]
    assert len(tops) == 3 and max(tops) - min(tops) < 1, tops
    context.close()


def test_log_out_looks_like_the_other_nav_items(page, live_server, login, user):
    login(user.email)
    page.goto(f"{live_server.url}/habits/")
    style = "e => { const s = getComputedStyle(e); return [s.color, s.fontWeight, s.textDecorationLine, s.fontSize]; }"
    today_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Today", exact=True)
    log_out = page.get_by_role("button", name="Log out")
    assert log_out.evaluate(style) == today_link.evaluate(style)


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_signed_in_nav_keeps_its_links_on_one_row_with_log_out_beside_the_brand(browser, live_server, width):
    call_command("seed_demo", verbosity=0)   # the demo person is staff: Admin is there too
    context, page = demo_signed_in(browser, live_server, width)
    tops = {round(link.bounding_box()["y"]) for link in page.get_by_role("navigation", name="Main").get_by_role("link").all()}
    assert len(tops) == 1, f"the main links wrap onto {len(tops)} rows at {width}"
    brand, log_out = page.locator(".brand").bounding_box(), page.get_by_role("button", name="Log out").bounding_box()
    assert log_out["y"] < brand["y"] + brand["height"] and log_out["x"] + log_out["width"] <= VIEWPORTS[width]["width"]
    assert page.get_by_role("link", name="Admin").is_visible()
    context.close()


def _too_wide(page):
    """The outermost elements reaching past the right edge, to say where to look."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                     && e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
        .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`)""")


def _shoot(request, page, name):
    if request.config.getoption("--screenshots"):
        OUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
