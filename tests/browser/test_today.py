import datetime as dt

import pytest

from habits.models import CheckIn
from tests.factories import HabitFactory, ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
