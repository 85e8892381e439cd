"""The habit charts: labels inside the drawing, words instead of state names, an accessible
name on every chart, and the automaticity self-check from the habit's third week."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine

from habits import charts, selectors
from habits.automaticity import FIRST_CHECK_DAY, next_check_day
from habits.models import AutomaticityCheck, CheckIn
from habits.schedule import HabitHistory, Schedule
from tests.factories import HabitFactory

TODAY = dt.date(2026, 6, 15)  # a Monday
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.timezone.utc)
FONT_ASCENT, FONT_DESCENT = 9, 3  # of the 11px chart font, in px


def history(start, done=(), schedule=Schedule()):
    return HabitHistory(schedule=schedule, start=start, done=frozenset(done))


def every_day(first, last):
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def text_boxes(svg):
    """(text, left, top, right, bottom) of every <text>, from its anchor and CHART_TEXT_WIDTH."""
    for text in svg.iter("text"):
        content = "".join(text.itertext())
        x, y, width = float(text.get("x")), float(text.get("y")), len(content) * charts.CHART_TEXT_WIDTH
        left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor", "start")]
        yield content, left, y - FONT_ASCENT, left + width, y + FONT_DESCENT


def svgs(html):
    return [ET.fromstring(markup) for markup in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def assert_labels_inside(svg):
    _, _, width, height = map(float, svg.get("viewBox").split())
    for content, left, top, right, bottom in text_boxes(svg):
        assert 0 <= left and right <= width and 0 <= top and bottom <= height, \
            f"{content!r} at {left:.0f},{top:.0f}–{right:.0f},{bottom:.0f} leaves the {width:.0f}×{height:.0f} drawing"


def accessible_name(svg):
    title = svg.find("title")
    return svg.get("aria-label") or (title.text if title is not None else "")


def test_heatmap_draws_days_before_the_start_unlike_unscheduled_days_and_says_both_in_words():
    start = TODAY - dt.timedelta(days=20)
    chart = charts.heatmap(history(start, schedule=Schedule(weekdays=frozenset({0, 2, 4}))), TODAY)
    by_day = {cell["title"].split(": ")[0]: cell for cell in chart["cells"]}

    before, unscheduled = by_day["Tue 19 May 2026"], by_day["Tue 9 Jun 2026"]
    assert before["css"] == "heat-before" and before["title"].endswith("before you started this habit")
    assert unscheduled["css"] == "heat-off" and unscheduled["title"].endswith("not scheduled")
    assert by_day["Mon 15 Jun 2026"]["title"].endswith("not done yet")
    for cell in chart["cells"]:
        assert not re.search(r"before_start|unscheduled|: open$", cell["title"]), cell["title"]


def test_heatmap_labels_monday_wednesday_and_friday_rows():
    chart = charts.heatmap(history(TODAY), TODAY)
    rows = {cell["y"] for cell in chart["cells"]}
    monday_row = min(rows)
    assert [label["label"] for label in chart["weekday_labels"]] == ["Mon", "Wed", "Fri"]
    # each label's baseline sits within its row of cells
    for label, row in zip(chart["weekday_labels"], (0, 2, 4)):
        top = monday_row + row * (charts.CELL + charts.GAP)
        assert top < label["y"] <= top + charts.CELL


def test_heatmap_caption_counts_the_year_in_words():
    start = TODAY - dt.timedelta(days=9)
    chart = charts.heatmap(history(start, done=every_day(start, TODAY - dt.timedelta(days=3))), TODAY)
    assert chart["summary"] == "Last 52 weeks: done 7 days, missed 2 days."


def test_a_full_weekday_bar_keeps_its_label_inside_the_drawing():
    start = TODAY - dt.timedelta(days=27)
    chart = charts.weekday_bars(history(start, done=every_day(start, TODAY)), TODAY)
    assert all(bar["text"] == "100%" for bar in chart["bars"])
    assert min(bar["ty"] for bar in chart["bars"]) - FONT_ASCENT >= 0
    assert chart["summary"].startswith("Mon 100%, Tue 100%")


def test_strength_line_has_a_zero_to_hundred_axis_and_its_first_and_last_day():
    series = [(TODAY - dt.timedelta(days=n), 1 - n / 400) for n in range(399, -1, -1)]
    chart = charts.strength_line(series)
    assert [tick["label"] for tick in chart["y_ticks"]] == ["0%", "50%", "100%"]
    assert [label["label"] for label in chart["x_labels"]] == ["16 Jun 2025", "today"]
    assert chart["current"] == 100
    top_tick = next(tick for tick in chart["y_ticks"] if tick["label"] == "100%")
    assert chart["segments"][0].endswith(f",{top_tick['y']:.1f}")  # 100% is drawn on the 100% line


def test_sparkline_draws_a_baseline_and_ends_inside_its_box():
    chart = charts.sparkline([(TODAY - dt.timedelta(days=n), n / 30) for n in range(29, -1, -1)])
    assert chart["base"] < chart["height"] and 0 < chart["end_x"] < chart["width"]
    assert chart["end_y"] == chart["base"]  # strength 0 today sits on the baseline
    assert (chart["first"], chart["current"]) == (97, 0)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_every_chart_on_the_habit_pages_is_named_and_keeps_its_labels_inside(logged_in, user):
    habit = HabitFactory(user=user, name="Walk", start_date=TODAY - dt.timedelta(days=200))
    for day in every_day(TODAY - dt.timedelta(days=200), TODAY - dt.timedelta(days=1)):
        CheckIn.objects.create(user=user, habit=habit, local_date=day, timezone="UTC", utc_offset_minutes=0,
                               completed_at=dt.datetime.combine(day, dt.time(7, 30), tzinfo=dt.timezone.utc))

    detail = svgs(logged_in.get(f"/habits/{habit.pk}/").content.decode())
    listing = svgs(logged_in.get("/habits/").content.decode())

    charts_drawn = [svg for svg in detail + listing if svg.get("aria-hidden") != "true"]
    assert len(charts_drawn) == 5  # year, strength, weekday, time of day, sparkline
    for svg in charts_drawn:
        assert svg.get("role") == "img" and accessible_name(svg).strip(), ET.tostring(svg)[:120]
        assert_labels_inside(svg)
    weekday = next(svg for svg in charts_drawn if svg.get("aria-label").startswith("Share of scheduled days"))
    assert "100%" in [text.text for text in weekday.iter("text")]
    assert "Walk" in listing[0].get("aria-label")


def test_automaticity_check_is_first_offered_in_the_habit_s_third_week():
    start = dt.date(2026, 3, 1)
    assert next_check_day(start, None) == start + dt.timedelta(days=FIRST_CHECK_DAY) == dt.date(2026, 3, 15)
    assert next_check_day(start, dt.date(2026, 3, 16)) == dt.date(2026, 3, 23)  # then weekly
    assert next_check_day(start, dt.date(2026, 3, 2)) == dt.date(2026, 3, 15)  # an early answer does not bring it forward


@pytest.mark.django_db
def test_a_new_habit_is_not_asked_how_automatic_it_feels_until_day_14(user):
    habit = HabitFactory(user=user, start_date=TODAY - dt.timedelta(days=1))
    assert not selectors.automaticity_summary(habit, TODAY)["due"]
    assert selectors.automaticity_summary(habit, TODAY)["next_due"] == TODAY + dt.timedelta(days=13)
    assert not selectors.automaticity_summary(habit, habit.start_date + dt.timedelta(days=13))["due"]
    assert selectors.automaticity_summary(habit, habit.start_date + dt.timedelta(days=14))["due"]

    answered = habit.start_date + dt.timedelta(days=14)
    AutomaticityCheck.objects.create(user=user, habit=habit, local_date=answered, without_thinking=3, automatically=3,
                                     without_remembering=3, before_realising=3)
    assert not selectors.automaticity_summary(habit, answered + dt.timedelta(days=6))["due"]
    assert selectors.automaticity_summary(habit, answered + dt.timedelta(days=7))["due"]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_habit_page_offers_the_self_check_from_day_14_only(logged_in, user):
    young = HabitFactory(user=user, name="Young", start_date=TODAY - dt.timedelta(days=1))
    older = HabitFactory(user=user, name="Older", start_date=TODAY - dt.timedelta(days=14))
    assert "Save self-check" not in logged_in.get(f"/habits/{young.pk}/").content.decode()
    assert "First self-check from Sunday 28 June" in logged_in.get(f"/habits/{young.pk}/").content.decode()
    assert "Save self-check" in logged_in.get(f"/habits/{older.pk}/").content.decode()


@pytest.mark.parametrize("times,summary", [
    ([dt.time(7, 5)], "1 timed check-in, between 07:00 and 08:00"),
    ([dt.time(7, 5), dt.time(7, 50), dt.time(18, 0)], "3 timed check-ins, most often between 07:00 and 08:00"),
    ([dt.time(7, 5), dt.time(18, 0)], "2 timed check-ins, most often between 07:00 and 08:00 and between 18:00 and 19:00"),
    ([dt.time(6), dt.time(12), dt.time(20)], "3 timed check-ins, 1 in each of 3 different hours"),
])
def test_the_time_chart_caption_says_only_what_its_bars_show(times, summary):
    assert charts.time_histogram(times)["summary"] == summary
