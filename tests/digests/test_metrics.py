"""Staff success metrics on a small hand-built population whose answers are known."""

import csv
import io
import json
from datetime import date, datetime, timedelta, timezone as dt_timezone

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from coaching.models import EvaluationRun, InsightFeedback
from digests.metrics import METRIC_KEYS, Window, retention, success_metrics
from digests.models import DigestSend, SendStatus
from habits.models import ScheduleKind
from tests.factories import CheckInFactory, HabitFactory, InsightFactory, ProfileFactory, UserFactory

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=dt_timezone.utc)
WINDOW = Window(date(2026, 4, 1), date(2026, 6, 30))


def utc(*args):
    return datetime(*args, tzinfo=dt_timezone.utc)


def person(completed=None, started=None, zone="Europe/London", joined=None, **kwargs):
    started = started or completed or utc(2026, 5, 1, 9)
    profile = ProfileFactory(timezone=zone, onboarding_started_at=started, onboarding_completed_at=completed, **kwargs)
    user = profile.user
    user.date_joined = joined or started
    user.save(update_fields=["date_joined"])
    return user


def check_in(habit, day):
    return CheckInFactory(habit=habit, local_date=day, completed_at=utc(day.year, day.month, day.day, 12),
                          timezone="UTC", utc_offset_minutes=0)


def send(user, day, opened=False, bounced=False, sent=True):
    return DigestSend.objects.create(
        user=user, local_date=day, covered_date=day - timedelta(days=1), claimed_at=utc(day.year, day.month, day.day, 7),
        status=SendStatus.SENT if sent else SendStatus.FAILED, sent_at=utc(day.year, day.month, day.day, 7) if sent else None,
        subject="Your day", opened_at=utc(day.year, day.month, day.day, 8) if opened else None,
        bounced_at=utc(day.year, day.month, day.day, 7, 5) if bounced else None,
    )


def figures():
    with time_machine.travel(NOW, tick=False):
        return success_metrics(WINDOW, NOW)


@pytest.mark.django_db
def test_every_metric_is_null_when_nothing_happened():
    result = figures()
    assert set(METRIC_KEYS) <= set(result)
    assert all(result[key] is None for key in METRIC_KEYS)
    assert result["counts"]["onboarding_completion"] == {"numerator": 0, "denominator": 0}


@pytest.mark.django_db
def test_onboarding_completion_counts_only_people_who_started_in_the_window():
    person(completed=utc(2026, 5, 2, 10))
    person(completed=utc(2026, 5, 3, 10))
    person(completed=None, started=utc(2026, 5, 4, 10))
    person(completed=utc(2026, 3, 1, 10))   # started before the window
    result = figures()
    assert result["counts"]["onboarding_completion"] == {"numerator": 2, "denominator": 3}
    assert result["onboarding_completion"] == pytest.approx(2 / 3)


@pytest.mark.django_db
def test_open_rate_is_opened_over_delivered_leaving_out_bounces_and_failures():
    user = person(completed=utc(2026, 5, 1, 9))
    send(user, date(2026, 5, 2), opened=True)
    send(user, date(2026, 5, 3), opened=False)
    send(user, date(2026, 5, 4), opened=False)
    send(user, date(2026, 5, 5), bounced=True)
    send(user, date(2026, 5, 6), sent=False)
    send(user, date(2026, 3, 6), opened=True)   # sent before the window
    result = figures()
    assert result["counts"]["digest_open_rate"] == {"numerator": 1, "denominator": 3}


@pytest.mark.django_db
def test_day_14_is_the_persons_local_day_not_the_utc_one():
    # Completed at 23:30 UTC on 1 May: already 2 May in Auckland (day 0), still 1 May in Los Angeles.
    completed = utc(2026, 5, 1, 23, 30)
    auckland = person(completed=completed, zone="Pacific/Auckland")
    los_angeles = person(completed=completed, zone="America/Los_Angeles")
    for user in (auckland, los_angeles):
        habit = HabitFactory(user=user, start_date=date(2026, 4, 30))
        check_in(habit, date(2026, 5, 15))   # day 13 in Auckland, day 14 in Los Angeles
    result = figures()
    assert result["counts"]["reached_day_14"] == {"numerator": 1, "denominator": 2}
    assert result["reached_day_14"] == 0.5


@pytest.mark.django_db
def test_people_who_never_checked_in_count_as_not_reaching_day_14_and_recent_people_are_not_counted():
    person(completed=utc(2026, 5, 1, 9))                 # never checked in
    reached = person(completed=utc(2026, 5, 1, 9))
    check_in(HabitFactory(user=reached, start_date=date(2026, 5, 1)), date(2026, 5, 31))
    person(completed=utc(2026, 6, 25, 9))                # only 5 days before the window ends
    result = figures()
    assert result["counts"]["reached_day_14"] == {"numerator": 1, "denominator": 2}
    assert result["counts"]["reached_day_30"] == {"numerator": 1, "denominator": 2}


@pytest.mark.django_db
def test_helpful_share_counts_answers_in_the_window():
    user = person(completed=utc(2026, 5, 1, 9))
    with time_machine.travel(utc(2026, 5, 20), tick=False):
        for helpful in (True, True, True, False):
            insight = InsightFactory(run__user=user, user=user)
            InsightFeedback.objects.create(user=user, insight=insight, kind="weekday_gap", helpful=helpful)
    with time_machine.travel(utc(2026, 3, 1), tick=False):
        insight = InsightFactory(run__user=user, user=user)
        InsightFeedback.objects.create(user=user, insight=insight, kind="weekday_gap", helpful=False)
    with time_machine.travel(NOW, tick=False):
        result = success_metrics(WINDOW, NOW)
    assert result["counts"]["coaching_helpful"] == {"numerator": 3, "denominator": 4}


@pytest.mark.django_db
def test_active_habits_per_person_leaves_out_archived_habits():
    first, second = person(completed=utc(2026, 5, 1, 9)), person(completed=utc(2026, 5, 2, 9))
    HabitFactory.create_batch(3, user=first)
    HabitFactory(user=second)
    HabitFactory(user=second, archived_at=utc(2026, 5, 10))
    result = figures()
    assert result["counts"]["active_habits_per_person"] == {"numerator": 4, "denominator": 2}
    assert result["active_habits_per_person"] == 2


@pytest.mark.django_db
def test_completion_rate_judges_weekly_habits_by_their_weeks():
    user = person(completed=utc(2026, 4, 1, 9), zone="UTC")
    daily = HabitFactory(user=user, start_date=date(2026, 4, 1))
    weekly = HabitFactory(user=user, start_date=date(2026, 4, 1), schedule_kind=ScheduleKind.FREQUENCY,
                          frequency_numerator=3, frequency_denominator=7)
    yesterday = date(2026, 6, 29)
    days = [yesterday - timedelta(days=n) for n in range(30)]
    for day in days[:15]:
        check_in(daily, day)
    for day in [yesterday - timedelta(days=n) for n in range(40)]:
        if day.weekday() in (0, 2, 4):
            check_in(weekly, day)
    result = figures()
    counts = result["counts"]["completion_rate_30d"]
    # The daily habit: 15 of 30 days. The weekly one meets every week, 3 of 3, not 3 of 7: Sunday 31 May is
    # 1/7 of a met week, then four whole weeks, and Monday 29 June is 1/7 of a week still running (1 done).
    weekly = 3 / 7 + 4 * 3 + 1 / 7
    assert counts["numerator"] == pytest.approx(15 + weekly, abs=0.01)
    assert counts["denominator"] == pytest.approx(30 + weekly, abs=0.01)


@pytest.mark.django_db
def test_pattern_detection_is_the_weaker_of_precision_and_recall_of_the_latest_run():
    EvaluationRun.objects.create(ran_at=utc(2026, 6, 1), cohort="realistic", users=10, seed=1,
                                 true_positives=1, false_positives=9, false_negatives=0, no_pattern_hit=0)
    EvaluationRun.objects.create(ran_at=utc(2026, 6, 20), cohort="realistic", users=10, seed=1,
                                 true_positives=90, false_positives=10, false_negatives=30, no_pattern_hit=0.01)
    result = figures()
    assert result["pattern_detection"] == pytest.approx(0.75)   # recall 90/120, precision 0.9
    assert result["counts"]["pattern_detection"]["recall"] == {"numerator": 90, "denominator": 120}


@pytest.mark.django_db
def test_retention_table_counts_people_active_in_each_week_since_signup():
    monday = date(2026, 6, 1)
    users = [person(completed=utc(2026, 6, 1, 9), joined=utc(2026, 6, 1, 9) + timedelta(days=i)) for i in range(4)]
    for i, user in enumerate(users):
        habit = HabitFactory(user=user, start_date=monday)
        check_in(habit, monday + timedelta(days=1))          # everyone in week 0
        if i < 2:
            check_in(habit, monday + timedelta(days=8))      # half in week 1
    table = retention(WINDOW, NOW)
    row = next(r for r in table.rows if r[0] == monday)
    assert row[1] == 4
    assert row[2][0] == 1.0 and row[2][1] == 0.5 and row[2][2] == 0.0
    assert row[2][5] is None   # that week has not happened yet


@pytest.mark.django_db
def test_command_json_and_the_page_agree(client):
    person(completed=utc(2026, 5, 2, 10))
    person(completed=None, started=utc(2026, 5, 4, 10))
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("metrics", "--since", "2026-04-01", "--until", "2026-06-30", "--json", stdout=out)
        staff = UserFactory(is_staff=True)
        ProfileFactory(user=staff, onboarding_started_at=utc(2020, 1, 1), onboarding_completed_at=utc(2020, 1, 1))
        client.force_login(staff)
        page = client.get(reverse("staff_metrics"), {"since": "2026-04-01", "until": "2026-06-30"})
        download = client.get(reverse("staff_metrics_csv"), {"since": "2026-04-01", "until": "2026-06-30"})
    printed = json.loads(out.getvalue())
    assert printed["onboarding_completion"] == 0.5
    assert set(METRIC_KEYS) <= set(printed) and "counts" in printed
    assert page.status_code == 200
    assert "50% · below" in page.content.decode()
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert ["metric", "onboarding_completion", "0.5", "0.85", "1", "2"] in rows


@pytest.mark.django_db
@pytest.mark.parametrize("args", [["--since", "2026-13-01"], ["--until", "0001-01-01"], ["--since", "2026-06-01", "--until", "2026-05-01"]])
def test_command_rejects_bad_dates_with_one_line_and_exit_2(args):
    with pytest.raises(CommandError) as error:
        call_command("metrics", *args)
    assert error.value.returncode == 2
    assert "\n" not in str(error.value)


@pytest.mark.django_db
def test_only_staff_see_the_page(client):
    url = reverse("staff_metrics")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    member = ProfileFactory().user
    client.force_login(member)
    assert client.get(url).status_code == 404
    assert client.get(reverse("staff_metrics_csv")).status_code == 404


@pytest.mark.django_db
def test_bad_filter_dates_show_an_error_next_to_the_field(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("staff_metrics"), {"since": "2026-06-30", "until": "2026-06-01"})
    assert response.status_code == 200
    assert "The start is after the end." in response.content.decode()
    assert client.get(reverse("staff_metrics"), {"since": "not a date"}).status_code == 200
    with time_machine.travel(NOW, tick=False):
        future_start = client.get(reverse("staff_metrics"), {"since": "2999-12-31"}).content.decode()
    assert "The start is after today." in future_start


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"since": "2026-06-30", "until": "2026-06-01"}, {"since": "garbage"}, {"until": "0001-01-01"}])
def test_the_csv_refuses_a_bad_range_instead_of_sending_another_one(client, query):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("staff_metrics_csv"), query)
    assert response.status_code == 400
    assert "Bad date range" in response.content.decode()


@pytest.mark.django_db
def test_the_date_boxes_show_the_window_in_the_format_browsers_read(client):
    client.force_login(UserFactory(is_staff=True))
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("staff_metrics")).content.decode()
        chosen = client.get(reverse("staff_metrics"), {"since": "2026-04-01", "until": "2026-06-30"}).content.decode()
    window = Window.ending(NOW.date())
    assert f'value="{window.since.isoformat()}"' in page and f'value="{window.until.isoformat()}"' in page
    assert 'value="2026-04-01"' in chosen and 'value="2026-06-30"' in chosen


@pytest.mark.django_db
def test_admin_index_links_to_the_metrics(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert reverse("staff_metrics") in client.get(reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_page_query_count_does_not_grow_with_people(client, django_assert_max_num_queries):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    def population(n, offset):
        for i in range(n):
            user = person(completed=utc(2026, 5, 1 + i % 20, 9), zone=["UTC", "Asia/Kolkata", "America/St_Johns"][i % 3])
            habit = HabitFactory(user=user, start_date=date(2026, 5, 1))
            check_in(habit, date(2026, 6, 20 - offset))

    population(2, 0)
    with time_machine.travel(NOW, tick=False):
        with django_assert_max_num_queries(40) as few:
            client.get(reverse("staff_metrics"))
    population(10, 1)
    with time_machine.travel(NOW, tick=False):
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("staff_metrics"))
