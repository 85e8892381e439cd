"""The Today page: which days can be checked in, what counts in "N of M done", words not state
names, and values read the same as on the habit page."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
import time_machine

from habits.models import CheckIn, Habit, Pause, Skip
from habits.templatetags.amounts import amount
from tests.factories import HabitFactory, ProfileFactory

pytestmark = pytest.mark.django_db

# Thursday 18 June in Los Angeles, already Friday in UTC: the page must go by the person's day.
NOW = dt.datetime(2026, 6, 19, 3, 0, tzinfo=dt.timezone.utc)
THURSDAY = dt.date(2026, 6, 18)
MONDAY = THURSDAY - dt.timedelta(days=3)
RAW_STATE_NAMES = re.compile(r"\b(before_start|unscheduled|open|future)\b")


@pytest.fixture
def user():
    return ProfileFactory(timezone="America/Los_Angeles").user


def check_in(habit, day, value=None):
    return CheckIn.objects.create(user=habit.user, habit=habit, local_date=day, value=value, timezone="America/Los_Angeles",
                                  utc_offset_minutes=-420, completed_at=dt.datetime.combine(day, dt.time(19), tzinfo=dt.timezone.utc))


def row(page: str, habit) -> str:
    """The HTML of one habit's row on Today."""
    start = page.index(f'id="habit-{habit.pk}"')
    return page[start:page.index("\n</li>", start)]


def strip_days(page: str, habit) -> set[str]:
    """The days a habit's strip offers to check in."""
    return set(re.findall(r'name="day" value="([\d-]+)"', row(page, habit)))


class PeopleFacingText(HTMLParser):
    """What a person can read or hear: text, and the attributes shown as tooltips or read aloud."""

    SPOKEN = {"title", "aria-label", "alt", "placeholder"}

    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.parts += [value for name, value in attrs if name in self.SPOKEN and value]

    def handle_data(self, data):
        self.parts.append(data)


def people_facing(page: str) -> str:
    parser = PeopleFacingText()
    parser.feed(page)
    return "\n".join(parser.parts)


@time_machine.travel(NOW, tick=False)
def test_a_day_before_the_habit_started_is_accepted_on_today_and_on_the_habit_page_alike(client, user):
    client.force_login(user)
    on_today, on_habit_page = (HabitFactory(user=user, name=name, start_date=THURSDAY - dt.timedelta(days=1)) for name in ("Floss", "Stretch"))
    before_start = MONDAY.isoformat()

    today = client.get("/today/").content.decode()
    habit_page = client.get(f"/habits/{on_habit_page.pk}/").content.decode()
    assert before_start in strip_days(today, on_today)
    assert strip_days(today, on_today) <= set(re.findall(r'<option value="([\d-]+)"', habit_page))

    tapped = client.post(f"/habits/{on_today.pk}/check-in/", {"from": "today", "day": before_start}, HTTP_HX_REQUEST="true")
    logged = client.post(f"/habits/{on_habit_page.pk}/check-in/", {"day": before_start, "next": f"/habits/{on_habit_page.pk}/"})

    assert tapped.status_code == 200 and logged.status_code == 302
    for habit in (on_today, on_habit_page):
        assert CheckIn.objects.filter(habit=habit, local_date=MONDAY).exists()
        assert Habit.objects.get(pk=habit.pk).start_date == MONDAY  # the habit's start moves back to the day
    assert f"{MONDAY:%A %-d %B}: done" in tapped.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_weekly_habit_shows_its_progress_and_counts_only_while_due(client, user):
    client.force_login(user)
    HabitFactory(user=user, name="Walk", start_date=dt.date(2026, 6, 1))
    gym = HabitFactory(user=user, name="Gym", schedule_kind="frequency", frequency_numerator=3, frequency_denominator=7,
                       start_date=dt.date(2026, 6, 1))
    swim = HabitFactory(user=user, name="Swim", schedule_kind="frequency", frequency_numerator=2, frequency_denominator=7,
                        start_date=dt.date(2026, 6, 1))
    for day in (MONDAY, MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)):
        check_in(gym, day)

    page = client.get("/today/").content.decode()

    assert "0 of 2 done" in page  # Walk and Swim; Gym's week is already met
    due, other = page.split("Not scheduled today")
    assert f'id="habit-{swim.pk}"' in due and "0 of 2 this week" in row(page, swim)
    assert f'id="habit-{gym.pk}"' in other and "3 of 3 this week" in row(page, gym)

    extra = client.post(f"/habits/{gym.pk}/check-in/", {"from": "today"}, HTTP_HX_REQUEST="true").content.decode()
    assert "0 of 2 done" in extra  # a fourth time this week is welcome but not asked for
    done = client.post(f"/habits/{swim.pk}/check-in/", {"from": "today"}, HTTP_HX_REQUEST="true").content.decode()
    assert "1 of 2 done" in done and "1 of 2 this week" in done


@time_machine.travel(NOW, tick=False)
def test_skipping_today_keeps_the_habit_on_todays_list_and_takes_it_out_of_the_count(client, user):
    client.force_login(user)
    walk = HabitFactory(user=user, name="Walk", start_date=dt.date(2026, 6, 1))
    HabitFactory(user=user, name="Read", start_date=dt.date(2026, 6, 1))
    Skip.objects.create(user=user, habit=walk, local_date=THURSDAY)

    page = client.get("/today/").content.decode()

    assert "0 of 1 done" in page
    assert f'id="habit-{walk.pk}"' in page.split("Not scheduled today")[0] and "Skipped today" in row(page, walk)


@time_machine.travel(NOW, tick=False)
def test_no_internal_state_name_reaches_people_on_today(client, user):
    client.force_login(user)
    HabitFactory(user=user, name="New", start_date=THURSDAY)  # before_start days
    HabitFactory(user=user, name="Yoga", schedule_kind="weekdays", weekdays=[0], start_date=dt.date(2026, 6, 1))  # unscheduled
    gym = HabitFactory(user=user, name="Gym", schedule_kind="frequency", frequency_numerator=3, frequency_denominator=7,
                       start_date=dt.date(2026, 6, 1))  # open days in a running week
    walk = HabitFactory(user=user, name="Walk", start_date=dt.date(2026, 6, 1))
    check_in(gym, MONDAY)
    check_in(walk, MONDAY)
    Skip.objects.create(user=user, habit=walk, local_date=MONDAY + dt.timedelta(days=1))
    Pause.objects.create(user=user, habit=walk, start=MONDAY - dt.timedelta(days=2), end=MONDAY - dt.timedelta(days=1))

    page = client.get("/today/").content.decode()
    menu_answer = client.post(f"/habits/{walk.pk}/skip/", {"from": "today", "menu": "open"}, HTTP_HX_REQUEST="true").content.decode()

    for html in (page, menu_answer):
        text = people_facing(html)
        assert not RAW_STATE_NAMES.findall(text)
    text = people_facing(page)
    for words in ("before you started this habit", "not scheduled", "not done yet", "missed", "skipped", "paused", "done"):
        assert f": {words}" in text
    assert RAW_STATE_NAMES.search(page)  # the names are still there for styling, so the test reads the right thing


@time_machine.travel(NOW, tick=False)
def test_values_read_the_same_on_today_and_on_the_habit_page(client, user):
    client.force_login(user)
    water = HabitFactory(user=user, name="Water", kind="measurable", unit="litres", target=2.0, start_date=dt.date(2026, 6, 1))
    check_in(water, THURSDAY, value=25.0)
    check_in(water, THURSDAY - dt.timedelta(days=1), value=1.255)

    today = row(client.get("/today/").content.decode(), water)
    habit_page = client.get(f"/habits/{water.pk}/").content.decode()

    assert 'value="25"' in today and "Water: 25 litres today" in today and 'placeholder="2"' in today
    assert "<td>25</td>" in habit_page and "<td>1.26</td>" in habit_page
    for html in (today, habit_page):
        assert "25.0" not in html


@pytest.mark.parametrize("value,shown", [
    (25.0, "25"), (2.5, "2.5"), (2.50, "2.5"), (0.1 + 0.2, "0.3"), (1.255, "1.26"), (1234.567, "1234.57"),
    (1_000_000.0, "1000000"), (0, "0"), (-0.0, "0"), (None, ""), (float("nan"), ""),
])
def test_a_value_drops_a_trailing_zero_keeps_two_decimals_and_never_groups_thousands(value, shown):
    assert amount(value) == shown


@time_machine.travel(NOW, tick=False)
def test_skipping_from_the_menu_answers_with_the_menu_still_open_and_works_without_javascript(client, user):
    client.force_login(user)
    walk = HabitFactory(user=user, name="Walk", start_date=dt.date(2026, 6, 1))

    answer = client.post(f"/habits/{walk.pk}/skip/", {"from": "today", "menu": "open", "next": "/today/"},
                         HTTP_HX_REQUEST="true").content.decode()
    assert "<details" in answer and re.search(r'<details class="habit-row__menu[^"]*" open>', answer)
    assert re.search(r'id="day-action-\d+"[^>]*>Unskip today<', answer)

    without_js = client.post(f"/habits/{walk.pk}/skip/", {"from": "today", "menu": "open", "next": f"/today/#habit-{walk.pk}"})
    assert without_js.status_code == 302 and without_js.url == f"/today/#habit-{walk.pk}"
    assert not Skip.objects.filter(habit=walk).exists()  # the second tap took the skip back


@time_machine.travel(NOW, tick=False)
def test_a_check_in_with_a_note_from_the_menu_shows_the_note_there(client, user):
    client.force_login(user)
    walk = HabitFactory(user=user, name="Walk", start_date=dt.date(2026, 6, 1))

    answer = client.post(f"/habits/{walk.pk}/check-in/", {"from": "today", "menu": "open", "note": "Rainy but went"},
                         HTTP_HX_REQUEST="true").content.decode()

    assert CheckIn.objects.get(habit=walk).note == "Rainy but went"
    assert 'value="Rainy but went"' in answer and "Save note" in answer and "Undo check-in for Walk" in answer


def note_form_fields(answer: str, habit) -> dict:
    """What the row's note form sends: its hidden fields and its note box as shown."""
    start = answer.index(f'id="note-{habit.pk}"')
    form = answer[answer.rindex("<form", 0, start):answer.index("</form>", start)]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    fields["note"] = re.search(r'name="note"[^>]*value="([^"]*)"', form).group(1)
    assert re.search(r'name="note"[^>]*maxlength="2000"', form), "every note box offers the same 2,000 characters"
    return fields


@time_machine.travel(NOW, tick=False)
def test_a_long_note_saved_elsewhere_survives_today_and_emptying_the_box_clears_it(client, user):
    client.force_login(user)
    walk = HabitFactory(user=user, name="Walk", start_date=dt.date(2026, 6, 1))
    checkin = check_in(walk, THURSDAY)
    long_note = "Long walk by the river. " * 21
    assert client.post(f"/check-ins/{checkin.pk}/edit/", {"note": long_note}).status_code == 302
    fields = note_form_fields(client.get("/today/").content.decode(), walk)

    kept = client.post(f"/habits/{walk.pk}/check-in/", fields, HTTP_HX_REQUEST="true")
    assert kept.status_code == 200
    assert CheckIn.objects.get(habit=walk).note == long_note.strip()

    cleared = client.post(f"/habits/{walk.pk}/check-in/", {**fields, "note": ""}, HTTP_HX_REQUEST="true")
    assert cleared.status_code == 200
    assert CheckIn.objects.get(habit=walk).note == ""


@time_machine.travel(NOW, tick=False)
def test_a_tap_or_a_blank_log_a_day_box_never_wipes_the_days_note(client, user):
    client.force_login(user)
    walk = HabitFactory(user=user, name="Walk", start_date=dt.date(2026, 6, 1))
    checkin = check_in(walk, THURSDAY)
    CheckIn.objects.filter(pk=checkin.pk).update(note="Rainy but went")
    client.post(f"/habits/{walk.pk}/check-in/", {"from": "today"}, HTTP_HX_REQUEST="true")
    client.post(f"/habits/{walk.pk}/check-in/", {"day": THURSDAY.isoformat(), "time": "", "note": ""})
    assert CheckIn.objects.get(habit=walk).note == "Rainy but went"
    assert 'maxlength="2000"' in client.get(f"/habits/{walk.pk}/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_weekday_habits_streak_reads_the_same_on_every_page(client, user):
    client.force_login(user)
    gym = HabitFactory(user=user, name="Gym", schedule_kind="weekdays", weekdays=[0, 3], start_date=dt.date(2026, 6, 1))
    for day in (dt.date(2026, 6, 8), dt.date(2026, 6, 11), MONDAY, THURSDAY):
        check_in(gym, day)
    assert "🔥 4 in a row" in row(client.get("/today/").content.decode(), gym)
    assert "Streak 4 in a row" in client.get("/habits/").content.decode()
    detail = client.get(f"/habits/{gym.pk}/").content.decode()
    assert "Current streak (scheduled days)" in detail and "times)" not in detail
