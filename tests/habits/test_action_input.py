"""Every habit action checks its day, time and value first: malformed input is a 400 and changes nothing."""

import datetime as dt

import pytest
import time_machine

from habits.models import CheckIn, Skip
from tests.factories import HabitFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 15)

MALFORMED = [
    {"day": "2026-02-30"},
    {"day": "yesterday"},
    {"day": "2026-13-01"},
    {"time": "25:00"},
    {"time": "12:61"},
    {"value": "nan"},
    {"value": "NaN"},
    {"value": "inf"},
    {"value": "-Infinity"},
    {"value": "1e400"},
    {"value": "-1"},
    {"value": "12abc"},
]


@pytest.fixture
def setup(user):
    read = HabitFactory(user=user, name="Read", start_date=TODAY - dt.timedelta(days=30))
    run = HabitFactory(user=user, name="Run", kind="measurable", unit="km", target=5, start_date=TODAY - dt.timedelta(days=30))
    for habit, value in ((read, None), (run, 5.5)):
        for day in (TODAY, TODAY - dt.timedelta(days=1)):
            CheckIn.objects.create(user=user, habit=habit, local_date=day, value=value, timezone="Europe/London",
                                   utc_offset_minutes=60, completed_at=dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC))
    Skip.objects.create(user=user, habit=read, local_date=TODAY - dt.timedelta(days=2))
    return read, run


def snapshot(user):
    return (
        sorted(CheckIn.objects.filter(user=user).values_list("habit_id", "local_date", "value", "note", "completed_at")),
        sorted(Skip.objects.filter(user=user).values_list("habit_id", "local_date")),
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("bad", MALFORMED, ids=lambda b: "-".join(f"{k}={v}" for k, v in b.items()))
@pytest.mark.parametrize("action", ["check-in", "undo", "skip"])
@pytest.mark.parametrize("from_today", [False, True], ids=["plain form", "htmx from Today"])
def test_malformed_day_time_or_value_is_refused_and_changes_nothing(logged_in, user, setup, bad, action, from_today):
    read, run = setup
    before = snapshot(user)
    headers = {"HTTP_HX_REQUEST": "true"} if from_today else {}
    for habit in (read, run):
        data = {**bad, **({"from": "today"} if from_today else {})}
        response = logged_in.post(f"/habits/{habit.pk}/{action}/", data, **headers)
        assert response.status_code == 400, (habit.name, response.status_code)
        field = next(iter(bad)).capitalize()
        assert field in response.content.decode()
    assert snapshot(user) == before


@time_machine.travel(NOW, tick=False)
def test_the_old_failure_undo_with_an_impossible_day_no_longer_deletes_today(logged_in, user, setup):
    read, _ = setup
    response = logged_in.post(f"/habits/{read.pk}/undo/", {"day": "2026-02-30"})
    assert response.status_code == 400
    assert CheckIn.objects.filter(habit=read, local_date=TODAY).exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("bad", [b for b in MALFORMED if "day" not in b], ids=lambda b: "-".join(f"{k}={v}" for k, v in b.items()))
def test_editing_a_check_in_with_a_malformed_time_or_value_is_refused(logged_in, user, setup, bad):
    _, run = setup
    checkin = CheckIn.objects.get(habit=run, local_date=TODAY)
    before = snapshot(user)
    response = logged_in.post(f"/check-ins/{checkin.pk}/edit/", {"time": "07:00", "value": "5.5", "note": "", **bad})
    assert response.status_code == 400
    assert snapshot(user) == before


@time_machine.travel(NOW, tick=False)
def test_a_well_formed_backfill_still_works(logged_in, user, setup):
    read, _ = setup
    day = TODAY - dt.timedelta(days=3)
    response = logged_in.post(f"/habits/{read.pk}/check-in/", {"day": day.isoformat(), "time": "06:45"})
    assert response.status_code == 302
    assert CheckIn.objects.get(habit=read, local_date=day).local_time == dt.time(6, 45)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("target", ["nan", "inf", "-1", "1e400"])
def test_a_habit_target_must_be_a_real_non_negative_number(logged_in, user, target):
    from tests.habits.test_habit_pages import valid_habit

    response = logged_in.post("/habits/new/", valid_habit(name="Swim", kind="measurable", unit="m", target=target))
    assert response.status_code == 400
    assert not user.habits.filter(name="Swim").exists()


@pytest.mark.parametrize("action", ["undo", "skip"])
def test_a_day_too_old_to_undo_or_skip_is_refused_in_words_that_fit_the_action(logged_in, user, action):
    habit = HabitFactory(user=user, start_date=dt.date.today() - dt.timedelta(days=60))
    old = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    response = logged_in.post(f"/habits/{habit.pk}/{action}/", {"day": old}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Only the last 7 days can be checked in, undone or skipped." in response.content.decode()
