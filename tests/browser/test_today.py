import datetime as dt

import pytest
from playwright.sync_api import expect

from habits.models import CheckIn
from tests.factories import HabitFactory, ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def focused_label(page) -> str:
    return page.evaluate("document.activeElement.getAttribute('aria-label') || document.activeElement.textContent.trim()")


def test_check_in_and_undo_on_today_page_by_clicking(page, live_server, login):
    profile = ProfileFactory(timezone="Europe/Berlin")
    habit = HabitFactory(user=profile.user, name="Stretch", start_date=dt.date.today() - dt.timedelta(days=10))
    HabitFactory(user=profile.user, name="Read", start_date=dt.date.today() - dt.timedelta(days=10))
    login(profile.user.email)
    page.goto(f"{live_server.url}/today/")
    page.get_by_text("0 of 2 done").wait_for()
    url_before = page.url

    page.get_by_role("button", name="Check in Stretch").click()
    page.get_by_role("button", name="Undo check-in for Stretch").wait_for()
    page.get_by_text("1 of 2 done").wait_for()
    assert page.url == url_before
    assert CheckIn.objects.filter(habit=habit).count() == 1

    page.get_by_role("button", name="Undo check-in for Stretch").click()
    page.get_by_role("button", name="Check in Stretch").wait_for()
    page.get_by_text("0 of 2 done").wait_for()
    assert page.url == url_before
    assert not CheckIn.objects.filter(habit=habit).exists()


def test_check_in_works_without_javascript(browser, live_server):
    profile = ProfileFactory()
    habit = HabitFactory(user=profile.user, name="Floss", start_date=dt.date.today() - dt.timedelta(days=3))
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(profile.user.email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Check in Floss").click()
    page.get_by_text("1 of 1 done").wait_for()
    assert CheckIn.objects.filter(habit=habit).count() == 1
    context.close()


def test_drag_a_habit_to_reorder(page, live_server, login):
    from habits.models import Habit

    profile = ProfileFactory()
    for name in ("Alpha", "Beta", "Gamma"):
        HabitFactory(user=profile.user, name=name)
    login(profile.user.email)
    page.goto(f"{live_server.url}/habits/")
    source = page.locator("li[data-habit-id]", has_text="Gamma").bounding_box()
    target = page.locator("li[data-habit-id]", has_text="Alpha").bounding_box()
    with page.expect_response(lambda response: "/habits/reorder/" in response.url) as saved:
        page.mouse.move(source["x"] + 20, source["y"] + 20)
        page.mouse.down()
        page.mouse.move(target["x"] + 20, target["y"] + 10, steps=12)
        page.mouse.move(target["x"] + 20, target["y"] + 5, steps=3)
        page.mouse.up()
    assert saved.value.status == 204
    assert list(Habit.objects.filter(user=profile.user).values_list("name", flat=True)) == ["Gamma", "Alpha", "Beta"]


def test_check_in_and_undo_with_the_keyboard_alone_and_see_where_focus_is(page, live_server, login):
    profile = ProfileFactory(timezone="Europe/Berlin")
    HabitFactory(user=profile.user, name="Stretch", start_date=dt.date.today() - dt.timedelta(days=10))
    login(profile.user.email)
    page.goto(f"{live_server.url}/today/")
    page.get_by_text("0 of 1 done").wait_for()

    for _ in range(30):
        page.keyboard.press("Tab")
        if focused_label(page) == "Check in Stretch":
            break
    assert focused_label(page) == "Check in Stretch"
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth")
    assert ring == "solid 3px"

    page.keyboard.press("Enter")
    page.get_by_text("1 of 1 done").wait_for()
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Undo check-in for Stretch")

    page.keyboard.press("Space")
    page.get_by_text("0 of 1 done").wait_for()
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Check in Stretch")
    assert not CheckIn.objects.exists()


def test_a_habit_row_is_one_short_line_on_a_phone(browser, live_server):
    profile = ProfileFactory(timezone="Europe/Berlin")
    start = dt.date.today() - dt.timedelta(days=30)
    HabitFactory(user=profile.user, name="Stretch", start_date=start)
    HabitFactory(user=profile.user, name="Water", kind="measurable", unit="litres", target=2, start_date=start)
    HabitFactory(user=profile.user, name="Gym", schedule_kind="frequency", frequency_numerator=3, frequency_denominator=7, start_date=start)
    HabitFactory(user=profile.user, name="x" * 200, start_date=start)
    context = browser.new_context(viewport={"width": 360, "height": 800}, timezone_id="Europe/Berlin")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(profile.user.email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_text("0 of 4 done").wait_for()
    page.wait_for_load_state()

    heights = page.eval_on_selector_all("li.habit-row", "rows => rows.map(row => row.getBoundingClientRect().height)")
    assert len(heights) == 4 and max(heights) < 80, heights
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator("summary", has_text="More for Stretch").click()  # the menu opens in place, under its row
    page.get_by_role("button", name="Skip today").wait_for()
    context.close()


def test_quick_keyboard_taps_stay_in_place_and_each_one_counts(page, live_server, login):
    """A row swapped in by htmx answers the very next key press: with htmx's 20 ms settle delay a
    quick second press found a form htmx had not wired yet and reloaded the whole page."""
    profile = ProfileFactory(timezone="Europe/Berlin")
    habit = HabitFactory(user=profile.user, name="Stretch", start_date=dt.date.today() - dt.timedelta(days=10))
    login(profile.user.email)
    page.goto(f"{live_server.url}/today/")
    page.wait_for_load_state()
    reloads = []
    page.on("framenavigated", lambda frame: reloads.append(frame.url))
    page.get_by_role("button", name="Check in Stretch").focus()

    for _ in range(8):
        page.keyboard.press("Enter")
        page.get_by_text("1 of 1 done").wait_for()
        page.keyboard.press("Space")
        page.get_by_text("0 of 1 done").wait_for()

    assert reloads == []
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Check in Stretch")
    assert not CheckIn.objects.filter(habit=habit).exists()
