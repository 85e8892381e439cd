"""A new person's first 30 days, end to end: sign-up, onboarding and habits in the browser, then every
simulated hour of the month through the same task functions django-q2 runs, asserting the emails received."""

import datetime as dt
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from coaching.models import CoachingInsight
from coaching.tasks import run_due_analyses
from digests.tasks import sweep_digests
from habits.models import Habit
from habits.services import checkin_record
from tests.browser import flows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
JOINED = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)   # Monday 2 March, 08:00 in London; clocks go forward 29 March
DAY_0 = dt.date(2026, 3, 2)
DIGEST_HOUR = 20                                      # what an evening person gets
MILESTONE_HEADINGS = {3: "Three days in", 7: "Your first week", 14: "Your coach is switched on",
                      21: "Three weeks in", 30: "Your first 30 days"}
WEDNESDAY = 2
EMAIL = "journey@example.com"


def kind(message) -> str | None:
    return message.extra_headers.get("X-Cadence-Kind")


def sign_up_and_onboard(browser, base_url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="Europe/London")
    page = context.new_page()
    page.set_default_timeout(10_000)
    flows.sign_up_and_onboard(page, base_url, email=EMAIL, first_name="Robin", goals=("Health & fitness",),
                              obstacle="Forgetting", why_now="Spring is coming and I sit too much.",
                              zone="Europe/London", chronotype="Evening person", tone="Gentle: encourage me")
    return context, page


def add_habit_in_browser(page, base_url: str, name: str):
    page.goto(f"{base_url}/habits/new/")
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Add habit").click()
    page.get_by_role("heading", name="Today", exact=True).wait_for()


def local(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(LONDON)


def planned_check_ins(day_number: int, day: dt.date) -> dict[int, list[tuple[str, int]]]:
    """{local hour: [(habit name, minute)]} for one day: a morning walk (never on Wednesdays), evening reading on
    most days, and stretching after lunch on some."""
    plan: dict[int, list[tuple[str, int]]] = {}
    if day.weekday() != WEDNESDAY:
        plan.setdefault(7, []).append(("Walk 20 minutes", 15 + day_number % 30))
    if day_number % 6 != 5:
        plan.setdefault(21, []).append(("Read 10 pages", 40))
    if day_number % 3 == 0:
        plan.setdefault(13, []).append(("Stretch", 5))
    return plan


def test_a_new_persons_first_thirty_days(browser, live_server):
    traveller = time_machine.travel(JOINED, tick=True)
    clock = traveller.start()
    try:
        context, page = sign_up_and_onboard(browser, live_server.url)
        assert [kind(m) for m in mail.outbox] == ["account-confirm", "drip-day-0"]
        assert mail.outbox[-1].to == [EMAIL]

        add_habit_in_browser(page, live_server.url, "Read 10 pages")
        add_habit_in_browser(page, live_server.url, "Stretch")
        habits = {h.name: h for h in Habit.objects.filter(user__email=EMAIL)}
        assert set(habits) == {"Walk 20 minutes", "Read 10 pages", "Stretch"}

        sent: list[tuple[dt.datetime, object]] = []   # (instant handed to the mailer, message)
        check_in_count = 0
        first_hour = JOINED.replace(minute=0) + dt.timedelta(hours=1)
        last_hour = dt.datetime.combine(DAY_0 + dt.timedelta(days=30), dt.time(23), tzinfo=LONDON).astimezone(UTC)
        hour = first_hour
        while hour <= last_hour:
            clock.move_to(hour)
            before = len(mail.outbox)
            sweep_digests()
            run_due_analyses()
            sent += [(hour, m) for m in mail.outbox[before:]]

            local_now = local(hour)
            day_number = (local_now.date() - DAY_0).days
            for name, minute in planned_check_ins(day_number, local_now.date()).get(local_now.hour, []):
                clock.move_to(hour + dt.timedelta(minutes=minute))
                before = len(mail.outbox)
                checkin_record(habit=habits[name], now=timezone.now())
                check_in_count += 1
                assert len(mail.outbox) == before, f"an email went out on a check-in ({name}, day {day_number})"
            hour += dt.timedelta(hours=1)
        assert check_in_count > 50

        # Exactly one email a day, days 1-30 (day 0's was the welcome), each at 20:00 London across the DST change.
        by_day = {}
        for instant, message in sent:
            when = local(instant)
            assert when.hour == DIGEST_HOUR, f"{kind(message)} sent at {when:%Y-%m-%d %H:%M %Z}"
            day_number = (when.date() - DAY_0).days
            assert day_number not in by_day, f"two emails on day {day_number}"
            by_day[day_number] = message
        assert sorted(by_day) == list(range(1, 31))
        assert {local(i).utcoffset() for i, _ in sent} == {dt.timedelta(0), dt.timedelta(hours=1)}
        for n, message in by_day.items():
            expected = f"digest drip-day-{n}" if n in MILESTONE_HEADINGS else "digest"
            assert kind(message) == expected, f"day {n}"
            assert message.to == [EMAIL]
        for n, heading in MILESTONE_HEADINGS.items():
            assert heading in by_day[n].body, f"day {n}"
        assert "Your top 5:" in by_day[14].body

        # Coaching is on from day 14 (five things to do, in the email) but claims no weekday pattern from two
        # Wednesdays: the weekday gap needs three of every weekday (coaching's MIN_WEEKDAY_DAYS), and 0 of 3
        # Wednesdays is not yet significant once all 63 sets of one to three weekdays are tested. The weekly
        # re-analysis in the fourth week, with four missed Wednesdays behind it, names the gap.
        assert "Wednesday" not in by_day[14].body
        gap = CoachingInsight.objects.filter(user__email=EMAIL, kind="weekday_gap").order_by("generated_at").first()
        assert gap is not None and gap.evidence["weekdays"] == ["Wed"]
        found_on = (local(gap.generated_at).date() - DAY_0).days
        wednesdays_before = sum(1 for n in range(found_on) if (DAY_0 + dt.timedelta(days=n)).weekday() == WEDNESDAY)
        assert found_on <= 28 and wednesdays_before == 4, (found_on, wednesdays_before)   # days 2, 9, 16 and 23
        # The session has lapsed in a month: sign in again.
        page.goto(f"{live_server.url}/accounts/login/?next=/coaching/")
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill("a-Strong-pass-123")
        page.get_by_role("button", name="Sign In").click()
        expect(page.locator("main")).to_contain_text("Wednesdays are harder for Walk 20 minutes")

        # One-click unsubscribe from the last email's header, then a day of sweeps sends nothing.
        header = by_day[30].extra_headers["List-Unsubscribe"]
        url = next(part.strip("<> ") for part in header.split(",") if "http" in part)
        response = Client(enforce_csrf_checks=True).post(
            urlparse(url).path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
        before = len(mail.outbox)
        for h in range(1, 25):
            clock.move_to(last_hour + dt.timedelta(hours=h))
            sweep_digests()
            run_due_analyses()
        assert mail.outbox[before:] == []
        context.close()
    finally:
        traveller.stop()
