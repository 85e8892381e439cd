import datetime as dt
import random

import pytest
import time_machine

from habits.models import CheckIn, Habit
from tests.factories import HabitFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.timezone.utc)


def valid_habit(**overrides):
    data = {"name": "Read", "description": "", "icon": "", "colour": "green", "kind": "boolean", "unit": "",
            "target": "", "target_type": "at_least", "schedule_kind": "daily", "frequency_numerator": "", "frequency_denominator": "", "planned_time": "",
            "area": "learning"}
    data.update(overrides)
    return data


def test_create_a_weekday_habit(logged_in, user):
    response = logged_in.post("/habits/new/", valid_habit(name="Gym", schedule_kind="weekdays", weekdays=["0", "2", "4"]))
    assert response.status_code == 302
    habit = Habit.objects.get(user=user, name="Gym")
    assert habit.weekdays == [0, 2, 4] and habit.schedule_label() == "Mon, Wed, Fri"


def test_create_a_measurable_habit(logged_in, user):
    logged_in.post("/habits/new/", valid_habit(name="Coffee", kind="measurable", unit="cups", target="2", target_type="at_most"))
    habit = Habit.objects.get(user=user, name="Coffee")
    assert habit.target_label() == "at most 2 cups"


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"name": ""}, b"Give your habit a name."),
        ({"name": "   "}, b"Give your habit a name."),
        ({"name": "x" * 301}, b"300 characters or fewer"),
        ({"kind": "measurable", "target": ""}, b"Measurable habits need a target"),
        ({"kind": "measurable", "unit": "km", "target": "-3"}, b"Aim for 0.01 or more"),
        ({"schedule_kind": "weekdays"}, b"Pick at least one day."),
        ({"schedule_kind": "frequency", "frequency_numerator": "9", "frequency_denominator": "7"}, b"more times than there are days"),
        ({"kind": "measurable", "unit": "km", "target": "0"}, b"Aim for 0.01 or more"),
        ({"kind": "measurable", "unit": "km", "target": "0.0000001"}, b"Aim for 0.01 or more"),
        ({"schedule_kind": "frequency", "frequency_numerator": "-1", "frequency_period": "week"}, b"At least once."),
        ({"schedule_kind": "frequency", "frequency_numerator": "0", "frequency_period": "week"}, b"At least once."),
    ],
)
def test_invalid_habit_gets_an_error_next_to_the_field_and_saves_nothing(logged_in, user, overrides, message):
    response = logged_in.post("/habits/new/", valid_habit(**overrides))
    assert response.status_code == 400
    assert message in response.content
    assert not Habit.objects.filter(user=user).exists()


def test_archive_unarchive_and_delete_with_confirmation(logged_in, user):
    habit = HabitFactory(user=user, name="Floss")
    logged_in.post(f"/habits/{habit.pk}/archive/")
    row = f'id="habit-{habit.pk}"'.encode()
    assert row not in logged_in.get("/today/").content
    assert b"Unarchive" in logged_in.get("/habits/").content
    logged_in.post(f"/habits/{habit.pk}/unarchive/")
    assert row in logged_in.get("/today/").content
    confirm = logged_in.get(f"/habits/{habit.pk}/delete/")
    assert b"Delete for good" in confirm.content and Habit.objects.filter(pk=habit.pk).exists()
    logged_in.post(f"/habits/{habit.pk}/delete/")
    assert not Habit.objects.filter(pk=habit.pk).exists()


def test_reorder_with_buttons(logged_in, user):
    first, second, third = (HabitFactory(user=user, name=n) for n in ("A", "B", "C"))
    logged_in.post(f"/habits/{third.pk}/move/up/")
    assert list(Habit.objects.filter(user=user).values_list("name", flat=True)) == ["A", "C", "B"]
    logged_in.post("/habits/reorder/", {"order": [second.pk, first.pk, third.pk]})
    assert list(Habit.objects.filter(user=user).values_list("name", flat=True)) == ["B", "A", "C"]


@time_machine.travel(NOW, tick=False)
def test_today_shows_progress_streak_and_habits_not_scheduled_today_apart(logged_in, user):
    daily = HabitFactory(user=user, name="Walk", start_date=dt.date(2026, 6, 1))
    HabitFactory(user=user, name="Yoga", schedule_kind="weekdays", weekdays=[1], start_date=dt.date(2026, 6, 1))
    for days_ago in range(1, 4):
        day = dt.date(2026, 6, 15) - dt.timedelta(days=days_ago)
        CheckIn.objects.create(user=user, habit=daily, local_date=day, completed_at=NOW - dt.timedelta(days=days_ago),
                               timezone="UTC", utc_offset_minutes=0)
    page = logged_in.get("/today/").content.decode()
    assert "0 of 1 done" in page
    assert "🔥 3 days" in page
    other = page.split("Not scheduled today")[1]
    assert "Yoga" in other and "Walk" not in other


@pytest.fixture
def heavy_user(user):
    """20... 50 habits with three years of daily history."""
    rng = random.Random(3)
    start = dt.date(2023, 6, 15)
    habits = [HabitFactory(user=user, name=f"Habit {i}", start_date=start) for i in range(50)]
    rows = []
    for habit in habits:
        for offset in range(0, 3 * 365, 1):
            if rng.random() < 0.7:
                day = start + dt.timedelta(days=offset)
                rows.append(CheckIn(user=user, habit=habit, local_date=day, timezone="UTC", utc_offset_minutes=0,
                                    completed_at=dt.datetime.combine(day, dt.time(7), tzinfo=dt.timezone.utc)))
    CheckIn.objects.bulk_create(rows, batch_size=5000)
    return user


@time_machine.travel(NOW, tick=False)
def test_today_and_habit_pages_run_a_constant_number_of_queries(logged_in, heavy_user, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert logged_in.get("/today/").status_code == 200
    habit = heavy_user.habits.first()
    with django_assert_max_num_queries(10):
        assert logged_in.get(f"/habits/{habit.pk}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert logged_in.get("/habits/").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_habit_page_draws_heatmap_and_charts(logged_in, user):
    habit = HabitFactory(user=user, name="Walk", start_date=dt.date(2026, 5, 1))
    for days_ago in range(0, 30, 2):
        day = dt.date(2026, 6, 15) - dt.timedelta(days=days_ago)
        CheckIn.objects.create(user=user, habit=habit, local_date=day, timezone="UTC", utc_offset_minutes=0,
                               completed_at=dt.datetime.combine(day, dt.time(18, 5), tzinfo=dt.timezone.utc), note=f"note {days_ago}")
    page = logged_in.get(f"/habits/{habit.pk}/").content.decode()
    assert page.count('class="heat-done"') == 15
    assert "Strength over time" in page and "<polyline" in page
    assert "18:00–18:59: 15 check-ins" in page
    assert "note 4" in page


@pytest.mark.parametrize("times,days,label", [("2", "3", "2× in 3 days"), ("1", "3", "Every 3 days"), ("4", "30", "4× a month"), ("3", "7", "3× a week")])
def test_create_a_habit_with_any_frequency_loop_can_express(logged_in, user, times, days, label):
    response = logged_in.post("/habits/new/", valid_habit(name="Swim", schedule_kind="frequency",
                                                          frequency_numerator=times, frequency_denominator=days))
    assert response.status_code == 302
    habit = Habit.objects.get(user=user, name="Swim")
    assert (habit.frequency_numerator, habit.frequency_denominator) == (int(times), int(days))
    assert label in logged_in.get("/habits/").content.decode()


def test_a_flexible_habit_shows_its_period_progress_on_today(logged_in, user):
    habit = HabitFactory(user=user, name="Swim", schedule_kind="frequency", frequency_numerator=3, frequency_denominator=7)
    logged_in.post(f"/habits/{habit.pk}/check-in/")
    assert "1 of 3 this week" in logged_in.get("/today/").content.decode()


def test_the_pause_box_starts_on_today_in_the_format_browsers_read(logged_in, user):
    habit = HabitFactory(user=user, name="Walk", start_date=dt.date(2026, 5, 1))
    with time_machine.travel(NOW, tick=False):
        page = logged_in.get(f"/habits/{habit.pk}/").content.decode()
    assert 'type="date" name="start" value="2026-06-15"' in page


def test_a_period_of_no_days_gets_one_message_and_not_a_second_about_times(logged_in, user):
    response = logged_in.post("/habits/new/", valid_habit(schedule_kind="frequency", frequency_numerator="2",
                                                          frequency_period="days", frequency_denominator="0"))
    page = response.content.decode()
    assert response.status_code == 400 and "At least 1 day." in page
    assert "more times than there are days" not in page
    assert not Habit.objects.filter(user=user).exists()


def test_edge_targets_that_mean_something_are_kept_and_read_as_typed(logged_in, user):
    logged_in.post("/habits/new/", valid_habit(name="No sugar", kind="measurable", unit="sweets", target="0", target_type="at_most"))
    logged_in.post("/habits/new/", valid_habit(name="Water", kind="measurable", unit="litres", target="0.25"))
    assert Habit.objects.get(name="No sugar").target_label() == "at most 0 sweets"
    assert Habit.objects.get(name="Water").target_label() == "at least 0.25 litres"


def test_a_300_character_name_is_welcome_and_the_frequency_boxes_start_at_one(logged_in, user):
    assert logged_in.post("/habits/new/", valid_habit(name="x" * 300)).status_code == 302
    form = logged_in.get("/habits/new/").content.decode()
    assert 'name="frequency_numerator" value="3" min="1"' in form and 'name="frequency_denominator" value="7" min="1"' in form
