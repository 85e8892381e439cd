import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from habits import analytics, selectors, stats
from habits.charts import CHART_TEXT_WIDTH
from habits.days import local_instant, utc_offset_minutes
from habits.schedule import HabitHistory, Schedule
from tests.factories import CheckInFactory, HabitFactory, ProfileFactory

pytestmark = pytest.mark.django_db

# Monday 15 June 2026, 13:00 in London (BST): the last 30 days run from Sunday 17 May.
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 15)
travel = time_machine.travel(NOW, tick=False)


def person(tz="Europe/London", **profile):
    return ProfileFactory(timezone=tz, **profile).user


def add_habit(user, name="Run", days_ago=120, **fields):
    return HabitFactory(user=user, name=name, start_date=TODAY - dt.timedelta(days=days_ago), **fields)


def check_in(habit, days_ago, at=dt.time(7, 30), time_known=True):
    day = TODAY - dt.timedelta(days=days_ago)
    tz = habit.user.coaching_profile.timezone
    moment = local_instant(day, at, tz)
    return CheckInFactory(habit=habit, user=habit.user, local_date=day, completed_at=moment, timezone=tz,
                          utc_offset_minutes=utc_offset_minutes(moment, tz), time_known=time_known)


def report_for(user, days=30):
    return selectors.analytics_for(user, TODAY, days)


def page(client, user, query=""):
    client.force_login(user)
    response = client.get(f"/analytics/{query}")
    assert response.status_code == 200
    return response.content.decode()


MISSED_IN_LAST_30 = {1, 5, 9, 13, 17, 21}


def twenty_four_of_thirty(user, name="Run"):
    """Done every day of the last 90 except six of the last 30."""
    habit = add_habit(user, name)
    for days_ago in range(90):
        if days_ago not in MISSED_IN_LAST_30:
            check_in(habit, days_ago)
    return habit


# Consistency: the habit page's number, counted by the schedule

@travel
def test_daily_habit_done_on_24_of_30_days_shows_80_percent_as_on_its_habit_page(client):
    user = person()
    habit = twenty_four_of_thirty(user)
    [item] = report_for(user).habits
    [detail] = selectors.habit_views([habit], TODAY, whole_history=True)
    assert item.consistency == detail.rate_30 == 0.8
    assert (item.strength, item.best_streak) == (detail.strength, detail.best_streak)

    analytics_page = page(client, user)
    habit_page = client.get(f"/habits/{habit.pk}/").content.decode()
    assert re.search(r'<div class="stat">(\d+)%</div><div class="stat-label">Last 30 days', habit_page)[1] == "80"
    assert re.search(r'<div class="stat">(\d+)%</div><div class="stat-label">Consistency', analytics_page.split("<h2 id=\"habit-")[1])[1] == "80"
    assert f"Run: done on 24 of 30 scheduled days (80%), strength {detail.strength}," in analytics_page


@travel
def test_three_times_a_week_habit_done_three_times_a_week_is_100_percent_not_43():
    user = person()
    gym = add_habit(user, "Gym", schedule_kind="frequency", frequency_numerator=3, frequency_denominator=7)
    for days_ago in range(120):
        if (TODAY - dt.timedelta(days=days_ago)).weekday() in (0, 2, 4):  # Mon, Wed, Fri
            check_in(gym, days_ago)
    report = report_for(user)
    [item] = report.habits
    assert item.consistency == 1.0 == report.overall.consistency
    assert item.best_weekday is None
    assert "Gym: 100% of its 3× a week target met" in item.caption and "43%" not in item.caption
    assert "weekday" not in item.caption


@travel
def test_overall_consistency_pools_scheduled_days_rather_than_averaging_habits():
    user = person()
    twenty_four_of_thirty(user)
    lifting = add_habit(user, "Lift", schedule_kind="weekdays", weekdays=[0, 2, 4])
    scheduled = [d for d in range(30) if (TODAY - dt.timedelta(days=d)).weekday() in (0, 2, 4)]
    assert len(scheduled) == 13
    for days_ago in scheduled:
        if days_ago != scheduled[1]:  # a missed Wednesday (a missed today would not count yet)
            check_in(lifting, days_ago)
    overall = report_for(user).overall
    assert (overall.done, overall.asked) == (24 + 12, 30 + 13)
    assert "you did 84% of what they asked in the last 30 days (36 of 43), with 36 check-ins" in overall.caption


@travel
def test_flexible_and_daily_habits_both_kept_up_are_100_percent_overall():
    user = person()
    walk = add_habit(user, "Walk")
    gym = add_habit(user, "Gym", schedule_kind="frequency", frequency_numerator=3, frequency_denominator=7)
    for days_ago in range(120):
        check_in(walk, days_ago)
        if (TODAY - dt.timedelta(days=days_ago)).weekday() in (0, 2, 4):
            check_in(gym, days_ago)
    assert report_for(user).overall.consistency == 1.0


# Best weekday: named only when the data show it

@travel
def test_habit_done_on_tuesdays_and_rarely_otherwise_is_best_on_tuesdays():
    user = person()
    habit = add_habit(user, "Piano")
    for days_ago in range(30):
        if (TODAY - dt.timedelta(days=days_ago)).weekday() == 1 or days_ago in (3, 11):
            check_in(habit, days_ago)
    [item] = report_for(user).habits
    assert item.best_weekday.name == "Tuesday"
    assert "Best on Tuesdays (4 of 4)." in item.caption


@travel
def test_habit_done_every_day_names_no_weekday():
    user = person()
    habit = add_habit(user, "Floss")
    for days_ago in range(40):
        check_in(habit, days_ago)
    [item] = report_for(user).habits
    assert item.best_weekday is None
    assert "No weekday stands out." in item.caption and "Best on" not in item.caption


DAILY = Schedule()


def history(done_days, start=TODAY - dt.timedelta(days=120), schedule=DAILY):
    return HabitHistory(schedule=schedule, start=start, done=frozenset(done_days))


def test_a_weekday_is_called_out_only_when_chance_cannot_explain_it():
    days = [TODAY - dt.timedelta(days=n) for n in range(28)]
    tuesdays = [d for d in days if d.weekday() == 1]
    # Tuesdays 4 of 4, every other weekday 3 of 4: any four days would often do as well
    done = tuesdays + [d for d in days if d > TODAY - dt.timedelta(days=21)]
    assert analytics.best_weekday(history(done), TODAY, 28) is None
    # Tuesdays 4 of 4, the other days 6 of 24: the best of seven weekdays is that good by chance too often
    done = tuesdays + [d for d in days if d.weekday() != 1 and d > TODAY - dt.timedelta(days=7)]
    assert analytics.best_weekday(history(done), TODAY, 28) is None
    # Tuesdays 4 of 4, the other days 2 of 24: a real pattern
    done = tuesdays + [TODAY - dt.timedelta(days=3), TODAY - dt.timedelta(days=11)]
    assert analytics.best_weekday(history(done), TODAY, 28) == analytics.StandoutWeekday(weekday=1, done=4, scheduled=4)


def test_two_good_tuesdays_are_not_yet_a_pattern():
    start = TODAY - dt.timedelta(days=13)
    done = [d for d in (start + dt.timedelta(days=n) for n in range(14)) if d.weekday() == 1]
    assert len(done) == 2
    assert analytics.best_weekday(history(done, start=start), TODAY, 30) is None


# Typical time

@travel
def test_typical_time_is_in_the_persons_own_zone(client):
    user = person("Asia/Kolkata")
    habit = add_habit(user, "Yoga")
    for days_ago in range(6):
        check_in(habit, days_ago, at=dt.time(7, 30))  # 02:00 UTC
    [item] = report_for(user).habits
    assert item.typical_time == dt.time(7, 30)
    html = page(client, user)
    assert "07:30" in html and "02:00" not in html


@travel
def test_no_typical_time_from_fewer_than_five_timed_check_ins():
    user = person()
    habit = add_habit(user, "Yoga")
    for days_ago in range(4):
        check_in(habit, days_ago, at=dt.time(7, 30))
    for days_ago in range(4, 10):
        check_in(habit, days_ago, time_known=False)
    [item] = report_for(user).habits
    assert (item.typical_time, item.timed_check_ins) == (None, 4)
    assert "Usually checked in" not in item.caption


@travel
def test_typical_time_before_a_clock_change_stays_on_the_wall_clock():
    user = person("Europe/London")
    habit = add_habit(user, "Swim")
    for days_ago in range(80, 89):  # 18 to 26 March, before British Summer Time began on 29 March
        check_in(habit, days_ago, at=dt.time(7, 30))
    [item] = report_for(user, days=90).habits
    assert item.typical_time == dt.time(7, 30)


def test_typical_time_keeps_late_nights_together_after_the_day_start():
    late = [dt.time(23, 50), dt.time(0, 10), dt.time(0, 20), dt.time(23, 40), dt.time(0, 5)]
    assert analytics.typical_time(late, day_start_hour=4) == dt.time(0, 5)


# Strength trend and streaks

@travel
def test_a_habit_getting_better_shows_up_and_one_getting_worse_shows_down():
    user = person()
    better = add_habit(user, "Better")
    worse = add_habit(user, "Worse")
    for days_ago in range(90):
        check_in(better if days_ago < 30 else worse, days_ago)
    better_item, worse_item = report_for(user).habits
    assert better_item.strength_change > 0 and worse_item.strength_change < 0
    assert f"strength {better_item.strength}, up {better_item.strength_change} points since 17 May." in better_item.caption
    assert f"strength {worse_item.strength}, down {-worse_item.strength_change} points since 17 May." in worse_item.caption


@travel
def test_longest_streak_counts_inside_the_window_and_best_ever_from_the_whole_history():
    user = person()
    habit = add_habit(user, "Read", days_ago=200)
    for days_ago in list(range(100, 160)) + list(range(12)):
        check_in(habit, days_ago)
    [item] = report_for(user).habits
    assert (item.window_streak, item.best_streak, item.streak_unit) == (12, 60, "day")
    assert "Longest streak in these 30 days: 12 days (best ever: 60)." in item.caption


def test_weekly_habit_streak_counts_weeks():
    gym = Schedule(times=3, days=7)
    start = TODAY - dt.timedelta(days=63)
    done = [d for d in (start + dt.timedelta(days=n) for n in range(64)) if d.weekday() in (0, 2, 4)]
    figures = stats.fold(history(done, start=start, schedule=gym), TODAY)
    data = analytics.HabitData(1, "Gym", history(done, start=start, schedule=gym), figures, [])
    item = analytics.habit_analytics(data, TODAY, 30)
    # the week holding the window's first day and the four after it; this week (1 of 3 so far) neither adds nor breaks
    assert (item.streak_unit, item.window_streak, item.best_streak) == ("week", 5, 9)
    assert "Longest streak in these 30 days: 5 weeks (best ever: 9)." in item.caption


@travel
def test_a_new_habit_says_so_and_counts_from_its_start():
    user = person()
    habit = add_habit(user, "Stretch", days_ago=9)
    for days_ago in range(0, 10, 2):
        check_in(habit, days_ago)
    [item] = report_for(user).habits
    assert item.is_new and item.strength_change is None
    assert item.caption.startswith("Stretch started on 6 June, so these numbers count from then. "
                                   "So far: done on 5 of 10 scheduled days (50%)")
    assert "since" not in item.caption.split("then.")[1]


# Weekly line

def test_weekly_consistency_counts_each_past_week_in_full():
    gym = Schedule(times=3, days=7)
    start = TODAY - dt.timedelta(days=7 * 13)
    days = [start + dt.timedelta(days=n) for n in range(7 * 13 + 1)]
    odd_weeks = [d for d in days if d.weekday() == 0 and (TODAY - d).days // 7 % 2 == 1]
    weekly = analytics.weekly_consistency([history(odd_weeks, start=start, schedule=gym)], TODAY)
    assert [monday for monday, _ in weekly][-1] == TODAY and len(weekly) == 13
    rates = [rate for _, rate in weekly]
    assert rates[-1] is None  # nothing done yet this week: nothing asked of it so far
    assert rates[-2] == pytest.approx(1 / 3) and rates[-3] == 0.0 and rates[-4] == pytest.approx(1 / 3)


# The page

@travel
def test_ninety_day_switch_counts_ninety_days(client):
    user = person()
    twenty_four_of_thirty(user)
    html = page(client, user, "?days=90")
    assert "Last 90 days" in html
    assert "Run: done on 84 of 90 scheduled days (93%)" in html
    assert 'href="?days=90" aria-current="true"' in html


@travel
@pytest.mark.parametrize("value", ["abc", "7", "-1", "90x", "", "1e3", "30.0", "%00"])
def test_an_unknown_window_shows_thirty_days(client, value):
    user = person()
    twenty_four_of_thirty(user)
    html = page(client, user, f"?days={value}")
    assert "Last 30 days" in html and "24 of 30 scheduled days" in html


@travel
def test_another_persons_habits_never_appear(client):
    me, other = person(), person()
    twenty_four_of_thirty(me)
    secret = add_habit(other, "Secret swim")
    for days_ago in range(30):
        check_in(secret, days_ago, at=dt.time(5, 55))
    html = page(client, me)
    assert "Secret swim" not in html and "05:55" not in html
    assert [h.name for h in report_for(me).habits] == ["Run"]


@travel
def test_archived_habits_are_left_out(client):
    user = person()
    twenty_four_of_thirty(user)
    add_habit(user, "Old hobby", archived_at=NOW)
    assert "Old hobby" not in page(client, user)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/analytics/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_someone_not_yet_onboarded_is_sent_to_the_wizard(client, new_user):
    client.force_login(new_user)
    response = client.get("/analytics/")
    assert response.status_code == 302 and response["Location"] == "/welcome/"


@travel
def test_a_person_with_no_habits_gets_a_way_to_start(client):
    html = page(client, person())
    assert "Nothing to show yet" in html and 'href="/habits/new/"' in html


@travel
def test_nav_links_to_analytics_and_marks_it_current(client):
    html = page(client, person())
    assert '<a href="/analytics/" aria-current="page">Analytics</a>' in html


@travel
@pytest.mark.parametrize("habit_count", [2, 8])
def test_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, habit_count):
    user = person()
    for i in range(habit_count):
        habit = add_habit(user, f"Habit {i}")
        for days_ago in range(0, 100, 2):
            check_in(habit, days_ago)
    client.force_login(user)
    with django_assert_max_num_queries(8):
        assert client.get("/analytics/").status_code == 200


@travel
def test_query_count_does_not_grow_with_habits(client):
    user = person()
    client.force_login(user)
    counts = []
    for batch in (2, 6):
        for i in range(batch):
            habit = add_habit(user, f"Habit {len(counts)}-{i}")
            for days_ago in range(0, 60, 3):
                check_in(habit, days_ago)
        with CaptureQueriesContext(connection) as captured:
            client.get("/analytics/")
        counts.append(len(captured))
    assert counts[0] == counts[1]


# Charts: accessible and unclipped

def svgs(html):
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)]


def text_extent(element):
    x, label = float(element.get("x")), "".join(element.itertext())
    width = len(label) * CHART_TEXT_WIDTH
    anchor = element.get("text-anchor", "start")
    return {"start": (x, x + width), "middle": (x - width / 2, x + width / 2), "end": (x - width, x)}[anchor]


@travel
def test_charts_have_an_accessible_name_and_keep_their_labels_inside(client):
    user = person()
    twenty_four_of_thirty(user, name="A habit with a very long name that would never fit on one line of a phone " * 2)
    add_habit(user, "Newcomer", days_ago=3)
    html = page(client, user, "?days=90")
    charts = [svg for svg in svgs(html) if "chart" in (svg.get("class") or "").split()]
    assert len(charts) == 4  # weekly line, consistency bars, two strength lines
    for svg in charts:
        assert svg.get("role") == "img" and svg.get("aria-label")
        described_by = svg.get("aria-describedby")
        assert described_by and f'id="{described_by}"' in html
        _, _, width, height = map(float, svg.get("viewBox").split())
        texts = list(svg.iter("text"))
        assert texts
        for text in texts:
            low, high = text_extent(text)
            y = float(text.get("y"))
            assert 0 <= low and high <= width, "".join(text.itertext())
            assert 9 <= y <= height, "".join(text.itertext())


@travel
def test_consistency_chart_draws_both_windows_on_a_percent_axis(client):
    user = person()
    twenty_four_of_thirty(user)
    html = page(client, user)
    [bars] = [svg for svg in svgs(html) if "30 and 90 days" in svg.get("aria-label")]
    labels = ["".join(t.itertext()) for t in bars.iter("text")]
    assert ["0%", "25%", "50%", "75%", "100%"] == [label for label in labels if label in ("0%", "25%", "50%", "75%", "100%")]
    assert "80%" in labels and "93%" in labels
    assert "Run: 80% in the last 30 days, 93% in the last 90." in html


def test_a_weekday_that_is_clearly_missed_is_named_as_the_hardest():
    days = [TODAY - dt.timedelta(days=n) for n in range(56)]
    # Saturdays 0 of 8, every other day done: the habit page's weekday bars show it, so does Analytics
    done = [d for d in days if d.weekday() != 5]
    assert analytics.hardest_weekday(history(done), TODAY, 56) == analytics.StandoutWeekday(weekday=5, done=0, scheduled=8)
    assert analytics.best_weekday(history(done), TODAY, 56) is None
    # two missed days that fall on the same weekday (6 of 8): with seven weekdays to compare, chance does that
    done = [d for d in days if d not in (days[3], days[10])]
    assert analytics.hardest_weekday(history(done), TODAY, 56) is None


@travel
def test_the_caption_names_the_hardest_weekday_and_never_says_none_stands_out_beside_it():
    user = person()
    habit = add_habit(user, "Run")
    for days_ago in range(90):
        if (TODAY - dt.timedelta(days=days_ago)).weekday() != 5:
            check_in(habit, days_ago)
    [item] = report_for(user, days=90).habits
    assert item.hardest_weekday.name == "Saturday"
    assert f"Hardest on Saturdays (0 of {item.hardest_weekday.scheduled})." in item.caption
    assert "No weekday stands out" not in item.caption


@travel
def test_a_habit_started_today_is_not_described_as_asking_nothing():
    user = person()
    add_habit(user, "Stretch", days_ago=0)
    report = report_for(user)
    [item] = report.habits
    assert item.consistency is None
    assert "nothing to count yet, today counts once you check in or it ends" in item.caption
    assert "nothing was scheduled" not in report.overall.caption
    assert "nothing to count yet: today counts once you check in or it ends" in report.overall.caption


@travel
def test_the_strength_change_is_the_one_the_habits_sparkline_draws(client):
    user = person()
    habit = add_habit(user, "Better")
    for days_ago in range(0, 30):
        check_in(habit, days_ago)
    [item] = report_for(user).habits
    client.force_login(user)
    habits_page = client.get("/habits/").content.decode()
    first, current = map(int, re.search(r"over the last 30 days: from (\d+)% to (\d+)%", habits_page).groups())
    assert item.strength_change == current - first > 0
