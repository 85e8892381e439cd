"""The habit form in a real browser: parts appear as choices make them apply, and the form still
works with JavaScript turned off (every part shown)."""

import datetime as dt

import pytest

from habits.models import Habit
from tests.factories import CheckInFactory, HabitFactory, ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fields(page):
    return {
        "target": page.get_by_label("Target", exact=True), "unit": page.get_by_label("Unit", exact=True),
        "monday": page.get_by_label("Mon", exact=True), "times": page.get_by_label("Times", exact=True),
        "per": page.get_by_label("Per", exact=True), "days": page.get_by_label("Days", exact=True),
    }


def visible(page):
    return {name for name, field in fields(page).items() if field.is_visible()}


def test_choosing_kind_and_schedule_shows_only_the_fields_that_apply(page, live_server, login):
    profile = ProfileFactory()
    login(profile.user.email)
    page.goto(f"{live_server.url}/habits/new/")
    assert visible(page) == set()

    page.get_by_label("Measurable").check()
    assert visible(page) == {"target", "unit"}
    page.get_by_label("On specific weekdays").check()
    assert visible(page) == {"target", "unit", "monday"}
    page.get_by_label("A number of times in a period").check()
    assert visible(page) == {"target", "unit", "times", "per"}
    page.get_by_label("Per", exact=True).select_option("days")
    assert visible(page) == {"target", "unit", "times", "per", "days"}
    page.get_by_label("Yes / no").check()
    assert visible(page) == {"times", "per", "days"}

    page.get_by_label("Name").fill("Swim")
    page.get_by_label("Times", exact=True).fill("2")
    page.get_by_label("Days", exact=True).fill("3")
    page.get_by_label("Teal").check()
    page.get_by_label("Swimming").check()
    page.get_by_role("button", name="Add habit").click()
    page.get_by_role("heading", name="Today", exact=True).wait_for()
    habit = Habit.objects.get(user=profile.user, name="Swim")
    assert (habit.kind, habit.frequency_numerator, habit.frequency_denominator) == ("boolean", 2, 3)
    assert (habit.colour, habit.icon) == ("teal", "🏊")


def test_the_switch_to_yes_no_warning_appears_when_yes_no_is_chosen(page, live_server, login):
    profile = ProfileFactory()
    habit = HabitFactory(user=profile.user, name="Run", kind="measurable", unit="km", target=5,
                         start_date=dt.date.today() - dt.timedelta(days=10))
    for days_ago in range(3):
        CheckInFactory(habit=habit, local_date=dt.date.today() - dt.timedelta(days=days_ago), value=4)
    login(profile.user.email)
    page.goto(f"{live_server.url}/habits/{habit.pk}/edit/")
    warning = page.get_by_text("your 3 logged values are kept but not shown")
    assert not warning.is_visible()
    page.get_by_label("Yes / no").check()
    assert warning.is_visible()
    page.get_by_label("Measurable").check()
    assert not warning.is_visible()


def test_typing_an_icon_unpicks_the_emoji_row(page, live_server, login):
    profile = ProfileFactory()
    login(profile.user.email)
    page.goto(f"{live_server.url}/habits/new/")
    page.get_by_label("Running").check()
    page.get_by_label("Or type your own").fill("🏄")
    assert not page.get_by_label("Running").is_checked()
    page.get_by_label("Reading").check()
    assert page.get_by_label("Or type your own").input_value() == ""


def test_the_habit_form_works_without_javascript(browser, live_server):
    profile = ProfileFactory()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(profile.user.email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/habits/new/")
    assert visible(page) == {"target", "unit", "monday", "times", "per", "days"}

    page.get_by_label("Name").fill("Read")
    page.get_by_label("Measurable").check()
    page.get_by_label("Target", exact=True).fill("20")
    page.get_by_label("Unit", exact=True).fill("pages")
    page.get_by_label("A number of times in a period").check()
    page.get_by_label("Times", exact=True).fill("4")
    page.get_by_label("Per", exact=True).select_option("month")
    page.get_by_label("Mon", exact=True).check()  # does not apply to this schedule: ignored
    page.get_by_role("button", name="Add habit").click()
    page.get_by_role("heading", name="Today", exact=True).wait_for()
    habit = Habit.objects.get(user=profile.user, name="Read")
    assert (habit.target_label(), habit.frequency_numerator, habit.frequency_denominator) == ("at least 20 pages", 4, 30)
    assert habit.weekdays == []
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("every_part_shown", [False, True])
def test_the_habit_form_has_no_serious_accessibility_problems(page, live_server, login, scheme, every_part_shown):
    """The form itself (the page around it is test_accessibility's), as chosen and with every part
    shown as without JavaScript (axe-core cannot run in a page with JavaScript off)."""
    from axe_playwright_python.sync_playwright import Axe

    profile = ProfileFactory()
    habit = HabitFactory(user=profile.user, name="Run", kind="measurable", unit="km", target=5, icon="🏄",
                         schedule_kind="frequency", frequency_numerator=1, frequency_denominator=3)
    CheckInFactory(habit=habit, value=4)
    page.emulate_media(color_scheme=scheme)
    login(profile.user.email)
    page.goto(f"{live_server.url}/habits/{habit.pk}/edit/")
    page.get_by_label("Yes / no").check()  # the warning shows
    if every_part_shown:
        page.evaluate("document.querySelectorAll('[data-show-when]').forEach(part => { part.hidden = false; })")
    violations = Axe().run(page, context="form[data-show-what-applies]").response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations if v["impact"] in ("serious", "critical")] == []
