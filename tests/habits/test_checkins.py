import datetime as dt

import pytest
import time_machine
from django.core import mail

from habits.models import CheckIn, Skip
from tests.factories import CheckInFactory, HabitFactory, ProfileFactory

pytestmark = pytest.mark.django_db

LONDON_MORNING = dt.datetime(2026, 3, 10, 7, 45, tzinfo=dt.timezone.utc)


@pytest.fixture
def habit(user):
    return HabitFactory(user=user, name="Run", start_date=dt.date(2026, 1, 1))


@pytest.fixture
def water(user):
    return HabitFactory(user=user, name="Water", kind="measurable", unit="litres", target=2, start_date=dt.date(2026, 1, 1))


@time_machine.travel(LONDON_MORNING, tick=False)
def test_one_tap_check_in_records_local_day_time_and_zone(logged_in, habit):
    response = logged_in.post(f"/habits/{habit.pk}/check-in/", {"from": "today"})
    assert response.status_code == 302
    checkin = CheckIn.objects.get(habit=habit)
    assert checkin.local_date == dt.date(2026, 3, 10)
    assert checkin.completed_at == LONDON_MORNING
    assert checkin.timezone == "Europe/London" and checkin.utc_offset_minutes == 0
    assert checkin.local_time == dt.time(7, 45)


@time_machine.travel(LONDON_MORNING, tick=False)
def test_double_tap_never_creates_two_check_ins(logged_in, habit):
    logged_in.post(f"/habits/{habit.pk}/check-in/")
    logged_in.post(f"/habits/{habit.pk}/check-in/")
    assert CheckIn.objects.filter(habit=habit).count() == 1


@time_machine.travel(LONDON_MORNING, tick=False)
def test_measurable_check_in_updates_the_days_value(logged_in, water):
    logged_in.post(f"/habits/{water.pk}/check-in/", {"value": "1.5"})
    logged_in.post(f"/habits/{water.pk}/check-in/", {"value": "2.25"})
    assert list(CheckIn.objects.filter(habit=water).values_list("value", flat=True)) == [2.25]


@time_machine.travel(LONDON_MORNING, tick=False)
def test_htmx_check_in_returns_the_row_and_progress_in_place(logged_in, habit):
    HabitFactory(user=habit.user, name="Second", start_date=dt.date(2026, 1, 1))
    response = logged_in.post(f"/habits/{habit.pk}/check-in/", {"from": "today"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="habit-{habit.pk}"' in body
    assert "Undo check-in for Run" in body
    assert 'hx-swap-oob="true"' in body and "1 of 2 done" in body


@time_machine.travel(LONDON_MORNING, tick=False)
def test_undo_removes_todays_check_in(logged_in, habit):
    logged_in.post(f"/habits/{habit.pk}/check-in/")
    logged_in.post(f"/habits/{habit.pk}/undo/")
    assert not CheckIn.objects.filter(habit=habit).exists()


@time_machine.travel(LONDON_MORNING, tick=False)
def test_backfill_within_seven_days_with_optional_time(logged_in, habit):
    logged_in.post(f"/habits/{habit.pk}/check-in/", {"day": "2026-03-03", "time": "18:20"})
    logged_in.post(f"/habits/{habit.pk}/check-in/", {"day": "2026-03-05"})
    with_time = CheckIn.objects.get(habit=habit, local_date=dt.date(2026, 3, 3))
    assert with_time.local_time == dt.time(18, 20) and with_time.time_known
    without_time = CheckIn.objects.get(habit=habit, local_date=dt.date(2026, 3, 5))
    assert not without_time.time_known and without_time.local_time is None


@pytest.mark.parametrize("day,message", [("2026-03-11", b"hasn&#x27;t happened yet"), ("2026-03-02", b"last 7 days")])
@time_machine.travel(LONDON_MORNING, tick=False)
def test_future_and_too_old_days_are_refused_with_a_clear_error(logged_in, habit, day, message):
    response = logged_in.post(f"/habits/{habit.pk}/check-in/", {"day": day, "from": "today"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert message in response.content
    assert not CheckIn.objects.exists()


@time_machine.travel(LONDON_MORNING, tick=False)
def test_later_today_time_is_refused(logged_in, habit):
    response = logged_in.post(f"/habits/{habit.pk}/check-in/", {"day": "2026-03-10", "time": "23:00"}, follow=True)
    assert b"still in the future" in response.content
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("value", ["-1", "1e12", "abc"])
@time_machine.travel(LONDON_MORNING, tick=False)
def test_absurd_values_are_refused(logged_in, water, value):
    response = logged_in.post(f"/habits/{water.pk}/check-in/", {"value": value, "from": "today"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_check_in_for_another_users_habit_is_404(logged_in):
    other_habit = HabitFactory()
    assert logged_in.post(f"/habits/{other_habit.pk}/check-in/").status_code == 404
    assert logged_in.post(f"/habits/{other_habit.pk}/undo/").status_code == 404
    assert logged_in.get(f"/habits/{other_habit.pk}/").status_code == 404
    assert logged_in.get(f"/habits/{other_habit.pk}/edit/").status_code == 404
    assert logged_in.post(f"/habits/{other_habit.pk}/delete/").status_code == 404
    other_checkin = CheckInFactory(habit=other_habit)
    assert logged_in.get(f"/check-ins/{other_checkin.pk}/edit/").status_code == 404
    assert logged_in.post(f"/check-ins/{other_checkin.pk}/delete/").status_code == 404
    assert CheckIn.objects.filter(pk=other_checkin.pk).exists()


def test_csrf_less_post_is_refused(client, user, habit):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    assert csrf_client.post(f"/habits/{habit.pk}/check-in/").status_code == 403
    assert not CheckIn.objects.exists()


@time_machine.travel(LONDON_MORNING, tick=False)
def test_checking_in_never_sends_email(logged_in, habit, water):
    mail.outbox.clear()
    logged_in.post(f"/habits/{habit.pk}/check-in/")
    logged_in.post(f"/habits/{water.pk}/check-in/", {"value": "3"})
    logged_in.post(f"/habits/{habit.pk}/undo/")
    assert mail.outbox == []


@time_machine.travel(LONDON_MORNING, tick=False)
def test_skip_excuses_the_day_and_toggles_back(logged_in, habit):
    logged_in.post(f"/habits/{habit.pk}/skip/")
    assert Skip.objects.filter(habit=habit, local_date=dt.date(2026, 3, 10)).exists()
    logged_in.post(f"/habits/{habit.pk}/skip/")
    assert not Skip.objects.exists()


@time_machine.travel(dt.datetime(2026, 3, 10, 1, 30, tzinfo=dt.timezone.utc), tick=False)
def test_check_in_before_day_start_counts_for_previous_day(db, client):
    profile = ProfileFactory(timezone="UTC", day_start_hour=3)
    habit = HabitFactory(user=profile.user, start_date=dt.date(2026, 1, 1))
    client.force_login(profile.user)
    client.post(f"/habits/{habit.pk}/check-in/")
    assert CheckIn.objects.get(habit=habit).local_date == dt.date(2026, 3, 9)


@time_machine.travel(dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.timezone.utc), tick=False)
def test_check_in_across_dst_change_stores_the_offset_of_that_moment(db, client):
    profile = ProfileFactory(timezone="Europe/Berlin")
    habit = HabitFactory(user=profile.user, start_date=dt.date(2026, 1, 1))
    client.force_login(profile.user)
    client.post(f"/habits/{habit.pk}/check-in/", {"day": "2026-03-28", "time": "21:00"})
    client.post(f"/habits/{habit.pk}/check-in/")
    before, after = CheckIn.objects.filter(habit=habit).order_by("local_date")
    assert before.utc_offset_minutes == 60
    assert after.local_date == dt.date(2026, 3, 29) and after.utc_offset_minutes == 60
    with time_machine.travel(dt.datetime(2026, 3, 29, 9, 0, tzinfo=dt.timezone.utc), tick=False):
        client.post(f"/habits/{habit.pk}/undo/")
        client.post(f"/habits/{habit.pk}/check-in/")
    assert CheckIn.objects.get(habit=habit, local_date=dt.date(2026, 3, 29)).utc_offset_minutes == 120


def test_script_in_names_and_notes_is_escaped_everywhere(logged_in, user):
    with time_machine.travel(LONDON_MORNING, tick=False):
        habit = HabitFactory(user=user, name="<script>alert('x')</script>", start_date=dt.date(2026, 1, 1))
        logged_in.post(f"/habits/{habit.pk}/check-in/", {"note": "<img src=x onerror=alert(1)>"})
        for page in ["/today/", "/habits/", f"/habits/{habit.pk}/"]:
            body = logged_in.get(page).content
            assert b"<script>alert(" not in body
            assert b"<img src=x" not in body


def test_travel_across_zones_keeps_one_check_in_per_local_day_and_the_streak(db, client):
    profile = ProfileFactory(timezone="America/New_York")
    habit = HabitFactory(user=profile.user, start_date=dt.date(2026, 5, 1))
    client.force_login(profile.user)
    # 21:00 in New York on 4 May
    with time_machine.travel(dt.datetime(2026, 5, 5, 1, 0, tzinfo=dt.timezone.utc), tick=False):
        client.post(f"/habits/{habit.pk}/check-in/")
    profile.timezone = "Asia/Tokyo"
    profile.save()
    # 08:00 in Tokyo on 6 May, after the flight: 5 May was never done there
    with time_machine.travel(dt.datetime(2026, 5, 5, 23, 0, tzinfo=dt.timezone.utc), tick=False):
        client.post(f"/habits/{habit.pk}/check-in/")
        client.post(f"/habits/{habit.pk}/check-in/", {"day": "2026-05-05", "time": "20:00"})
        page = client.get("/today/").content.decode()
    days = list(CheckIn.objects.filter(habit=habit).order_by("local_date").values_list("local_date", "timezone"))
    assert days == [
        (dt.date(2026, 5, 4), "America/New_York"),
        (dt.date(2026, 5, 5), "Asia/Tokyo"),
        (dt.date(2026, 5, 6), "Asia/Tokyo"),
    ]
    assert "🔥 3 days" in page


@time_machine.travel(LONDON_MORNING, tick=False)
def test_editing_a_check_in_to_a_later_time_today_is_refused(logged_in, habit):
    logged_in.post(f"/habits/{habit.pk}/check-in/")
    checkin = CheckIn.objects.get(habit=habit)
    response = logged_in.post(f"/check-ins/{checkin.pk}/edit/", {"time": "23:59", "note": "later"})
    assert response.status_code == 400 and b"still in the future" in response.content
    checkin.refresh_from_db()
    assert checkin.local_time == dt.time(7, 45) and checkin.note == ""


@time_machine.travel(LONDON_MORNING, tick=False)
def test_resuming_keeps_a_holiday_planned_for_later(logged_in, habit):
    from habits.models import Pause

    logged_in.post(f"/habits/{habit.pk}/pause/", {"start": "2026-03-08"})
    Pause.objects.create(user=habit.user, habit=habit, start=dt.date(2026, 4, 10), end=dt.date(2026, 4, 20))
    logged_in.post(f"/habits/{habit.pk}/resume/")
    pauses = list(Pause.objects.filter(habit=habit).order_by("start").values_list("start", "end"))
    assert pauses == [(dt.date(2026, 3, 8), dt.date(2026, 3, 9)), (dt.date(2026, 4, 10), dt.date(2026, 4, 20))]


@time_machine.travel(LONDON_MORNING, tick=False)
def test_the_edit_page_can_take_a_wrong_time_away(logged_in, habit):
    logged_in.post(f"/habits/{habit.pk}/check-in/")
    checkin = CheckIn.objects.get(habit=habit)
    assert 'value="07:45"' in logged_in.get(f"/check-ins/{checkin.pk}/edit/").content.decode()
    assert logged_in.post(f"/check-ins/{checkin.pk}/edit/", {"time": "", "note": ""}).status_code == 302
    checkin.refresh_from_db()
    assert checkin.local_time is None and checkin.local_date == LONDON_MORNING.date()
    assert "07:45" not in logged_in.get(f"/habits/{habit.pk}/").content.decode()


@time_machine.travel(LONDON_MORNING, tick=False)
def test_a_measurable_check_in_asks_for_how_much_and_never_calls_it_optional(logged_in, water):
    logged_in.post(f"/habits/{water.pk}/check-in/", {"value": "1.5"})
    checkin = CheckIn.objects.get(habit=water)
    page = logged_in.get(f"/check-ins/{checkin.pk}/edit/").content.decode()
    assert "How much (litres)" in page and "optional" not in page.split("How much")[1].split("</label>")[0]
    response = logged_in.post(f"/check-ins/{checkin.pk}/edit/", {"time": "07:00", "value": "", "note": ""})
    assert response.status_code == 400 and "Enter how much (litres)." in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.value == 1.5
