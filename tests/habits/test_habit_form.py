"""The habit form: only what applies shows, what does not apply is ignored, and edits round-trip."""

import datetime as dt
from html.parser import HTMLParser

import pytest

from habits.forms import ICON_CHOICES
from habits.models import CheckIn, Colour, Habit, HabitCheckpoint
from tests.factories import CheckInFactory, HabitFactory

pytestmark = pytest.mark.django_db


class HabitFormPage(HTMLParser):
    """Reads the habit form as a browser would: what it would post, which parts are hidden, and
    the text of each label (by the id it is for)."""

    def __init__(self, html):
        super().__init__()
        self.data, self.hidden, self.labels = {}, {}, {}
        self._in_form = self._done = False
        self._select = self._label = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-show-what-applies" in attrs and not self._done:
            self._in_form = True
        if not self._in_form:
            return
        if "data-show-when" in attrs:
            self.hidden[attrs["data-show-when"]] = "hidden" in attrs
        if tag == "label" and "for" in attrs:
            self._label = attrs["for"]
            self.labels[self._label] = ""
        elif tag == "input" and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("radio", "checkbox") and "checked" not in attrs:
                return
            self.data.setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select:
            chosen = self.data.setdefault(self._select, [])
            if "selected" in attrs or not chosen:  # without a selected option, a browser posts the first
                chosen[:] = [attrs.get("value", "")]

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True
        elif tag == "select":
            self._select = None
        elif tag == "label":
            self._label = None

    def handle_data(self, data):
        if self._label:
            self.labels[self._label] += data

    def value(self, name):
        return self.data.get(name, [None])[0]


def read_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return HabitFormPage(response.content.decode())


def valid_habit(**overrides):
    data = {"name": "Read", "description": "", "icon": "", "colour": "green", "kind": "boolean", "unit": "",
            "target": "", "target_type": "at_least", "schedule_kind": "daily", "frequency_numerator": "",
            "frequency_period": "week", "frequency_denominator": "", "planned_time": "", "area": ""}
    data.update(overrides)
    return data


def test_a_daily_yes_no_habit_hides_target_weekdays_and_frequency(logged_in, user):
    habit = HabitFactory(user=user, kind="boolean", schedule_kind="daily")
    page = read_form(logged_in, f"/habits/{habit.pk}/edit/")
    assert page.hidden == {
        "kind=measurable": True, "schedule_kind=weekdays": True, "schedule_kind=frequency": True,
        "frequency_period=days": True,
    }


def test_a_measurable_weekly_habit_shows_its_target_and_times_per_week(logged_in, user):
    habit = HabitFactory(user=user, kind="measurable", unit="km", target=20, schedule_kind="frequency",
                         frequency_numerator=3, frequency_denominator=7)
    page = read_form(logged_in, f"/habits/{habit.pk}/edit/")
    assert page.hidden == {
        "kind=measurable": False, "schedule_kind=weekdays": True, "schedule_kind=frequency": False,
        "frequency_period=days": True,
    }
    assert (page.value("frequency_numerator"), page.value("frequency_period")) == ("3", "week")
    assert (page.value("target"), page.value("unit")) == ("20", "km")


def test_a_new_habit_starts_as_a_daily_yes_no_habit_suggesting_three_times_a_week(logged_in):
    page = read_form(logged_in, "/habits/new/")
    assert page.hidden["kind=measurable"] and page.hidden["schedule_kind=frequency"]
    assert (page.value("kind"), page.value("schedule_kind")) == ("boolean", "daily")
    assert (page.value("frequency_numerator"), page.value("frequency_period")) == ("3", "week")


def test_a_yes_no_habit_ignores_junk_in_fields_that_do_not_apply(logged_in, user):
    response = logged_in.post("/habits/new/", valid_habit(
        name="Floss", target="lots", unit="teeth", target_type="sometimes", weekdays=["9"],
        frequency_numerator="-1", frequency_period="fortnight", frequency_denominator="x",
    ))
    assert response.status_code == 302
    habit = Habit.objects.get(user=user, name="Floss")
    assert (habit.kind, habit.target, habit.unit, habit.target_type) == ("boolean", None, "", "at_least")
    assert (habit.schedule_kind, habit.weekdays, habit.frequency_numerator, habit.frequency_denominator) == ("daily", [], 1, 1)


def test_a_measurable_habit_still_needs_its_target_and_unit(logged_in, user):
    response = logged_in.post("/habits/new/", valid_habit(kind="measurable", target="", unit=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Measurable habits need a target" in page and "Name the unit" in page
    assert HabitFormPage(page).hidden["kind=measurable"] is False


@pytest.mark.parametrize("times,days,period", [(3, 7, "week"), (1, 3, "days"), (2, 30, "month"), (4, 30, "month"),
                                               (2, 31, "month")])
def test_a_frequency_round_trips_through_the_form_unchanged(logged_in, user, times, days, period):
    habit = HabitFactory(user=user, schedule_kind="frequency", frequency_numerator=times, frequency_denominator=days)
    page = read_form(logged_in, f"/habits/{habit.pk}/edit/")
    assert (page.value("frequency_numerator"), page.value("frequency_period")) == (str(times), period)
    assert page.hidden["frequency_period=days"] is (period != "days")
    assert logged_in.post(f"/habits/{habit.pk}/edit/", page.data).status_code == 302
    habit.refresh_from_db()
    assert (habit.schedule_kind, habit.frequency_numerator, habit.frequency_denominator) == ("frequency", times, days)


@pytest.mark.parametrize("period,days_field,expected", [("week", "", 7), ("month", "", 30), ("days", "10", 10)])
def test_times_per_week_month_or_days_become_loops_numerator_and_denominator(logged_in, user, period, days_field, expected):
    logged_in.post("/habits/new/", valid_habit(name="Swim", schedule_kind="frequency", frequency_numerator="2",
                                               frequency_period=period, frequency_denominator=days_field))
    habit = Habit.objects.get(user=user, name="Swim")
    assert (habit.frequency_numerator, habit.frequency_denominator) == (2, expected)


def test_five_times_in_three_days_is_refused_next_to_the_frequency(logged_in, user):
    response = logged_in.post("/habits/new/", valid_habit(schedule_kind="frequency", frequency_numerator="5",
                                                          frequency_period="days", frequency_denominator="3"))
    assert response.status_code == 400
    frequency = response.content.decode().split("How many times, in what period?")[1].split("</fieldset>")[0]
    assert "more times than there are days" in frequency
    assert not Habit.objects.filter(user=user).exists()


def test_a_weekday_habit_with_no_day_chosen_is_refused_with_the_days_shown(logged_in, user):
    response = logged_in.post("/habits/new/", valid_habit(schedule_kind="weekdays"))
    assert response.status_code == 400
    assert "Pick at least one day." in response.content.decode()
    assert HabitFormPage(response.content.decode()).hidden["schedule_kind=weekdays"] is False


def test_every_colour_swatch_is_a_radio_with_the_colours_name(logged_in):
    page = read_form(logged_in, "/habits/new/")
    html = logged_in.get("/habits/new/").content.decode()
    for value, name in Colour.choices:
        radio_id = f"id_colour_{[v for v, _ in Colour.choices].index(value)}"
        assert f'type="radio" name="colour" value="{value}"' in html and f'id="{radio_id}"' in html
        assert page.labels[radio_id].strip() == name
    assert page.value("colour") == "green"


def test_every_emoji_in_the_picker_has_a_name_and_a_typed_icon_wins(logged_in, user):
    page = read_form(logged_in, "/habits/new/")
    names = [page.labels[f"id_icon_choice_{i}"].strip() for i in range(len(ICON_CHOICES) + 1)]
    assert names == ["No icon"] + [f"{emoji}{name}" for emoji, name in ICON_CHOICES]  # the emoji itself is aria-hidden
    logged_in.post("/habits/new/", valid_habit(name="Run", icon_choice="🏃"))
    logged_in.post("/habits/new/", valid_habit(name="Surf", icon_choice="🏃", icon="🏄"))
    assert dict(Habit.objects.filter(user=user).values_list("name", "icon")) == {"Run": "🏃", "Surf": "🏄"}


@pytest.mark.parametrize("icon,picked,typed", [("🏃", "🏃", ""), ("🏄", None, "🏄"), ("", "", "")])
def test_an_icon_round_trips_through_the_picker_or_the_text_field(logged_in, user, icon, picked, typed):
    habit = HabitFactory(user=user, icon=icon)
    page = read_form(logged_in, f"/habits/{habit.pk}/edit/")
    assert (page.value("icon_choice"), page.value("icon")) == (picked, typed)
    logged_in.post(f"/habits/{habit.pk}/edit/", page.data)
    habit.refresh_from_db()
    assert habit.icon == icon


@pytest.fixture
def measured_run(user):
    habit = HabitFactory(user=user, name="Run", kind="measurable", unit="km", target=5,
                         start_date=dt.date.today() - dt.timedelta(days=60))
    for days_ago in range(42):
        CheckInFactory(habit=habit, local_date=dt.date.today() - dt.timedelta(days=days_ago), value=days_ago % 7)
    CheckInFactory(habit=habit, local_date=dt.date.today() - dt.timedelta(days=50), value=None)  # no value: not counted
    return habit


def test_the_switch_to_yes_no_warning_states_how_many_values_are_kept(logged_in, measured_run):
    html = logged_in.get(f"/habits/{measured_run.pk}/edit/").content.decode()
    assert "your 42 logged values are kept but not shown" in " ".join(html.split())
    assert "with your target (at least 5 km)" in " ".join(html.split())
    assert HabitFormPage(html).hidden["kind=boolean"] is True  # shown when "Yes / no" is chosen


def test_a_habit_without_logged_values_gets_no_warning(logged_in, user):
    yes_no = HabitFactory(user=user)
    CheckInFactory(habit=yes_no)
    measurable = HabitFactory(user=user, kind="measurable", unit="km", target=5)
    for habit in (yes_no, measurable):
        assert "kind=boolean" not in HabitFormPage(logged_in.get(f"/habits/{habit.pk}/edit/").content.decode()).hidden


def test_switching_to_yes_no_keeps_the_values_and_switching_back_shows_them(logged_in, measured_run):
    url = f"/habits/{measured_run.pk}/edit/"
    page = read_form(logged_in, url)
    page.data.update(kind=["boolean"], target=["junk"])
    response = logged_in.post(url, page.data, follow=True)
    assert "The values you logged (42) are kept" in response.content.decode()
    measured_run.refresh_from_db()
    assert measured_run.kind == "boolean" and measured_run.meets_target(0.0)  # every logged day counts as done
    assert CheckIn.objects.filter(habit=measured_run, value__isnull=False).count() == 42

    page = read_form(logged_in, url)
    assert (page.value("target"), page.value("unit")) == ("5", "km")
    page.data.update(kind=["measurable"])
    logged_in.post(url, page.data)
    measured_run.refresh_from_db()
    assert measured_run.target_label() == "at least 5 km" and not measured_run.meets_target(0.0)
    assert '<td>6</td>' in logged_in.get(f"/habits/{measured_run.pk}/").content.decode()


def test_changing_the_target_in_the_form_recomputes_the_figures(logged_in, measured_run):
    HabitCheckpoint.objects.create(habit=measured_run, as_of=dt.date.today() - dt.timedelta(days=30), score=0.5,
                                   current_streak=1, best_streak=3)
    page = read_form(logged_in, f"/habits/{measured_run.pk}/edit/")
    page.data.update(target=["3"])
    assert logged_in.post(f"/habits/{measured_run.pk}/edit/", page.data).status_code == 302
    assert not HabitCheckpoint.objects.filter(habit=measured_run).exists()


def test_the_habit_form_runs_a_constant_number_of_queries(logged_in, measured_run, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert logged_in.get(f"/habits/{measured_run.pk}/edit/").status_code == 200


@pytest.mark.parametrize("target,shown", [(5.0, "5"), (2.125, "2.125"), (0.1, "0.1"), (1_000_000.0, "1000000")])
def test_a_target_shows_without_a_trailing_zero_and_saves_back_unchanged(logged_in, user, target, shown):
    habit = HabitFactory(user=user, kind="measurable", unit="km", target=target)
    page = read_form(logged_in, f"/habits/{habit.pk}/edit/")
    assert page.value("target") == shown
    logged_in.post(f"/habits/{habit.pk}/edit/", page.data)
    habit.refresh_from_db()
    assert habit.target == target
